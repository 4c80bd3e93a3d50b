import { objectKey } from '../util/object-key.js';

/** A Kubernetes-shaped object as the plan sees it: identity plus its plain data. */
export interface PlanObject {
  apiVersion: string;
  kind: string;
  /** `''` for cluster-scoped kinds. */
  namespace: string;
  name: string;
  /** The whole object (apiVersion, kind, metadata, spec/data...). */
  value: Record<string, unknown>;
}

/** The queue and status key of an object: `Kind/namespace/name` (namespace empty when cluster-scoped). */
export function planKey(o: Pick<PlanObject, 'kind' | 'namespace' | 'name'>): string {
  return objectKey(o.kind, o.namespace, o.name);
}

/** Annotation that keeps an object (and what it owns) when it is removed from Git: `berth.dev/prune: "false"`. */
export const PRUNE_ANNOTATION = 'berth.dev/prune';

/** Whether the object opted out of prune. */
export function pruneDisabled(o: PlanObject): boolean {
  const annotations = (o.value.metadata as { annotations?: Record<string, string> } | undefined)
    ?.annotations;
  return annotations?.[PRUNE_ANNOTATION] === 'false';
}
