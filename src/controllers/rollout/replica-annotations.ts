import { resolveFenceposts } from './int-or-percent.js';
import type { ReplicaSetState, Strategy } from './rollout-step.js';

/** The Deployment's replicas when the controller last scaled a ReplicaSet. */
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
/** The Deployment's replicas + maxSurge when the controller last scaled a ReplicaSet. */
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

/** maxSurge of the Deployment; 0 for Recreate (MaxSurge). */
export function maxSurge(replicas: number, strategy: Strategy): number {
  if (strategy.type !== 'RollingUpdate') return 0;
  return resolveFenceposts(replicas, strategy.maxSurge, strategy.maxUnavailable).maxSurge;
}

/** The replica annotations a ReplicaSet gets whenever the controller scales it (SetReplicasAnnotations). */
export function replicasAnnotations(replicas: number, strategy: Strategy): Record<string, string> {
  return {
    [DESIRED_REPLICAS]: String(replicas),
    [MAX_REPLICAS]: String(replicas + maxSurge(replicas, strategy)),
  };
}

/** A non-negative int32 annotation, or undefined when absent or not one (getNonNegativeInt32FromAnnotation). */
export function nonNegativeInt32(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n <= 2147483647 ? n : undefined;
}

/**
 * The Deployment was scaled since its ReplicaSets were (isScalingEvent): an active ReplicaSet's
 * desired-replicas annotation differs from spec.replicas. ReplicaSets without it do not count.
 */
export function isScalingEvent(replicas: number, rss: readonly ReplicaSetState[]): boolean {
  return rss.some(
    (rs) => rs.replicas > 0 && rs.desiredReplicas !== undefined && rs.desiredReplicas !== replicas,
  );
}
