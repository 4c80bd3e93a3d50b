import { createHash } from 'node:crypto';
import type { ObjectStore } from '../store/index.js';

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

/**
 * A hash of the content of every ConfigMap and Secret a pod spec uses (missing ones count as
 * missing): put on the pod template, it makes a change of that content roll the pods, as
 * Kubernetes users do by hand with a checksum annotation. `undefined` when the spec uses none.
 */
export async function configHash(
  store: ObjectStore,
  namespace: string,
  podSpec: Record<string, unknown>,
): Promise<string | undefined> {
  const refs = configReferences(podSpec);
  if (refs.length === 0) return undefined;
  const objects = await Promise.all(refs.map((r) => store.get(`${r.kind}/${namespace}/${r.name}`)));
  const hash = createHash('sha256');
  refs.forEach((r, i) => {
    const o = objects[i];
    hash.update(`${r.kind}/${r.name}\n`);
    hash.update(
      o ? JSON.stringify([o.data ?? null, o.binaryData ?? null, o.stringData ?? null]) : 'missing',
    );
    hash.update('\n');
  });
  return hash.digest('hex').slice(0, 16);
}
