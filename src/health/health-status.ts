/**
 * The health of one object, Argo CD's vocabulary: Healthy, Progressing (working towards
 * healthy), Degraded (failed, needs a change), Suspended (paused on purpose), Missing
 * (desired but not running), Unknown (its state cannot be read).
 */
export type HealthStatus =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';

/** A verdict with a Kubernetes-style CamelCase reason and a sentence for people. */
export interface Health {
  status: HealthStatus;
  reason?: string;
  message?: string;
}

/** Worst last: the aggregate health of a set is its worst member (Argo CD's order). */
export const HEALTH_ORDER: readonly HealthStatus[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

/** True when `a` is worse than `b`. */
export function isWorse(a: HealthStatus, b: HealthStatus): boolean {
  return HEALTH_ORDER.indexOf(a) > HEALTH_ORDER.indexOf(b);
}

/** A condition as Kubernetes writes it in `status.conditions`. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  reason?: string;
  message?: string;
}

/** The condition of `type`, if any. */
export function findCondition(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** What every rule reads of an object: its generation bookkeeping. */
export interface ObjectMetaLike {
  metadata?: { name?: string; namespace?: string; generation?: number };
}

/**
 * Whether the controller has seen the latest spec: `status.observedGeneration` caught up with
 * `metadata.generation`. Until then, any status describes an older spec.
 */
export function observedLatest(
  obj: ObjectMetaLike & { status?: { observedGeneration?: number } },
): boolean {
  const generation = obj.metadata?.generation;
  const observed = obj.status?.observedGeneration;
  return generation === undefined || (observed !== undefined && observed >= generation);
}

export const WAITING_FOR_CONTROLLER: Health = {
  status: 'Progressing',
  reason: 'ObservedGenerationBehind',
  message: 'Waiting for the controller to observe the latest generation',
};
