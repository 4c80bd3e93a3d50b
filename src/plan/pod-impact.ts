import { objectKey } from '../util/object-key.js';
import type { PlanAction } from './plan-action.js';
import type { PlanObject } from './plan-object.js';

/** What a plan does to the running pods of one workload. */
export interface PodImpact {
  /** The workload: `Deployment/shop/web`. */
  key: string;
  /**
   * `replace`: the pod template changed, pods are replaced (a rolling update); `roll`: a
   * ConfigMap or Secret the pods use changed, pods are restarted to pick it up; `scale`: only the
   * replica count changes.
   */
  effect: 'replace' | 'roll' | 'scale';
  /** Containers whose definition changed (`replace`), or every container (`roll`). */
  containers: string[];
  /** Why, one entry per cause: a field path, or `ConfigMap shop/web-content changed`. */
  because: string[];
}

const WORKLOADS: Record<string, string> = {
  Deployment: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  Pod: 'spec',
};

/**
 * Which running pods a plan replaces or restarts, and because of which field: pure, from the plan
 * and the desired objects (to see which ConfigMaps and Secrets each pod template uses). Created
 * and deleted workloads are not listed: their pods simply start or stop.
 */
export function podImpact(
  actions: readonly PlanAction[],
  desired: readonly PlanObject[],
): PodImpact[] {
  const changedConfig = new Map<string, PlanAction>();
  for (const a of actions) {
    if (a.type === 'update' && (a.kind === 'ConfigMap' || a.kind === 'Secret'))
      changedConfig.set(`${a.kind}/${a.namespace}/${a.name}`, a);
  }
  const impacts: PodImpact[] = [];
  for (const a of actions) {
    const specPath = WORKLOADS[a.kind];
    if (!specPath || (a.type !== 'update' && a.type !== 'unchanged')) continue;
    const templatePath = a.kind === 'Pod' ? 'spec' : 'spec.template';
    const templateChanges = a.changes.filter(
      (c) => c.path === templatePath || c.path.startsWith(`${templatePath}.`),
    );
    const want = desired.find(
      (o) => o.kind === a.kind && o.namespace === a.namespace && o.name === a.name,
    );
    const podSpec = want ? (at(want.value, specPath) as PodSpecRefs | undefined) : undefined;
    const allContainers = (podSpec?.containers ?? []).map((c) => c.name);
    if (templateChanges.length > 0) {
      const containerPrefix = `${specPath}.containers[`;
      const named = templateChanges.filter((c) => c.path.startsWith(containerPrefix));
      const others = templateChanges.length > named.length;
      const containers = others
        ? allContainers
        : [
            ...new Set(
              named.map((c) => c.path.slice(containerPrefix.length).split(']')[0] as string),
            ),
          ];
      impacts.push({
        key: a.key,
        effect: 'replace',
        containers,
        because: templateChanges.map((c) => c.path),
      });
      continue;
    }
    const causes = podSpec
      ? referencedConfig(podSpec, a.namespace).filter((ref) => changedConfig.has(ref))
      : [];
    if (causes.length > 0) {
      impacts.push({
        key: a.key,
        effect: 'roll',
        containers: allContainers,
        because: causes.map(
          (ref) => `${ref.split('/')[0]} ${ref.split('/').slice(1).join('/')} changed`,
        ),
      });
      continue;
    }
    const scale = a.changes.find((c) => c.path === 'spec.replicas');
    if (scale)
      impacts.push({
        key: a.key,
        effect: 'scale',
        containers: [],
        because: [`spec.replicas ${String(scale.before)} → ${String(scale.after)}`],
      });
  }
  return impacts;
}

/** The references of a pod spec this module follows. */
interface PodSpecRefs {
  containers?: ContainerRefs[];
  initContainers?: ContainerRefs[];
  volumes?: Array<{
    configMap?: { name?: string };
    secret?: { secretName?: string };
    projected?: { sources?: Array<{ configMap?: { name?: string }; secret?: { name?: string } }> };
  }>;
}

interface ContainerRefs {
  name: string;
  env?: Array<{
    valueFrom?: { configMapKeyRef?: { name?: string }; secretKeyRef?: { name?: string } };
  }>;
  envFrom?: Array<{ configMapRef?: { name?: string }; secretRef?: { name?: string } }>;
}

/** `ConfigMap/ns/name` and `Secret/ns/name` keys a pod spec reads, once each. */
export function referencedConfig(spec: PodSpecRefs, namespace: string): string[] {
  const refs = new Set<string>();
  const cm = (name?: string) => name && refs.add(objectKey('ConfigMap', namespace, name));
  const secret = (name?: string) => name && refs.add(objectKey('Secret', namespace, name));
  for (const v of spec.volumes ?? []) {
    cm(v.configMap?.name);
    secret(v.secret?.secretName);
    for (const s of v.projected?.sources ?? []) {
      cm(s.configMap?.name);
      secret(s.secret?.name);
    }
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const e of c.env ?? []) {
      cm(e.valueFrom?.configMapKeyRef?.name);
      secret(e.valueFrom?.secretKeyRef?.name);
    }
    for (const e of c.envFrom ?? []) {
      cm(e.configMapRef?.name);
      secret(e.secretRef?.name);
    }
  }
  return [...refs];
}

function at(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      value,
    );
}
