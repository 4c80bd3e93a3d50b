import { createHash } from 'node:crypto';
import { POD_TEMPLATE_PATHS, podTemplateNode } from '../manifests/index.js';

/** Annotation Berth adds to a pod template: the hash of the ConfigMaps and Secrets it uses. */
export const CONFIG_HASH_ANNOTATION = 'berth.dev/config-hash';

interface Ref {
  kind: 'ConfigMap' | 'Secret';
  name: string;
}

/** The ConfigMaps and Secrets a pod spec refers to: volumes, projected sources, env and envFrom. */
export function configReferences(podSpec: Record<string, unknown>): Ref[] {
  const refs = new Map<string, Ref>();
  const add = (kind: Ref['kind'], name: unknown) => {
    if (typeof name === 'string' && name !== '') refs.set(`${kind}/${name}`, { kind, name });
  };
  // biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest JSON
  type Any = Record<string, any>;
  for (const v of (podSpec.volumes as Any[] | undefined) ?? []) {
    add('ConfigMap', v.configMap?.name);
    add('Secret', v.secret?.secretName);
    for (const s of (v.projected?.sources as Any[] | undefined) ?? []) {
      add('ConfigMap', s.configMap?.name);
      add('Secret', s.secret?.name);
    }
  }
  const containers = [
    ...((podSpec.initContainers as Any[] | undefined) ?? []),
    ...((podSpec.containers as Any[] | undefined) ?? []),
  ];
  for (const c of containers) {
    for (const e of (c.env as Any[] | undefined) ?? []) {
      add('ConfigMap', e.valueFrom?.configMapKeyRef?.name);
      add('Secret', e.valueFrom?.secretKeyRef?.name);
    }
    for (const e of (c.envFrom as Any[] | undefined) ?? []) {
      add('ConfigMap', e.configMapRef?.name);
      add('Secret', e.secretRef?.name);
    }
  }
  return [...refs.values()].sort((a, b) =>
    `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`),
  );
}

/** Finds a ConfigMap or Secret by kind, namespace and name; undefined when there is none. */
export type ConfigLookup = (
  kind: 'ConfigMap' | 'Secret',
  namespace: string,
  name: string,
) => { data?: unknown; binaryData?: unknown; stringData?: unknown } | undefined;

/**
 * A hash of the content of every ConfigMap and Secret a pod spec uses (missing ones count as
 * missing): put on the pod template, it makes a change of that content roll the pods, as
 * Kubernetes users do by hand with a checksum annotation. `undefined` when the spec uses none.
 */
export function configHash(
  lookup: ConfigLookup,
  namespace: string,
  podSpec: Record<string, unknown>,
): string | undefined {
  const refs = configReferences(podSpec);
  if (refs.length === 0) return undefined;
  const hash = createHash('sha256');
  for (const r of refs) {
    const o = lookup(r.kind, namespace, r.name);
    hash.update(`${r.kind}/${r.name}\n`);
    hash.update(
      o ? JSON.stringify([o.data ?? null, o.binaryData ?? null, o.stringData ?? null]) : 'missing',
    );
    hash.update('\n');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Returns a copy of a workload whose pod template carries {@link CONFIG_HASH_ANNOTATION} for
 * the ConfigMaps and Secrets it uses (the object itself when it is no workload or uses none).
 * Applied when a revision is written to the store, so that a change of that content moves the
 * workload's generation and template like any edit of the template would.
 */
export function withConfigHash<T extends Record<string, unknown>>(
  object: T,
  namespace: string,
  lookup: ConfigLookup,
): T {
  // A bare Pod is not rolled by a config change (Kubernetes never replaces one): workloads only.
  const path = object.kind === 'Pod' ? undefined : POD_TEMPLATE_PATHS[String(object.kind)];
  const podSpec = path && podTemplateNode(object)?.spec;
  if (!path || !podSpec || typeof podSpec !== 'object') return object;
  const hash = configHash(lookup, namespace, podSpec as Record<string, unknown>);
  if (!hash) return object;
  const copy = structuredClone(object);
  // biome-ignore lint/suspicious/noExplicitAny: walks untyped manifest JSON
  let target: Record<string, any> = copy;
  for (const p of path) target = target[p];
  target.metadata = {
    ...(target.metadata ?? {}),
    annotations: { ...(target.metadata?.annotations ?? {}), [CONFIG_HASH_ANNOTATION]: hash },
  };
  return copy;
}
