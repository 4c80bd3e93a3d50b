import { minAvailable as minAvailableOf } from './deployment-status.js';
import { scaledValue } from './int-or-percent.js';

/** A ReplicaSet as the rollout sees it. */
export interface ReplicaSetState {
  name: string;
  /** spec.replicas: the pods it is asked to run. */
  replicas: number;
  /** Pods ready for at least minReadySeconds. */
  available: number;
  /** Creation order: older ReplicaSets are scaled down first. */
  createdAt: number;
  /** Its `deployment.kubernetes.io/desired-replicas` annotation, when valid. */
  desiredReplicas?: number;
  /** Its `deployment.kubernetes.io/max-replicas` annotation, when valid. */
  maxReplicas?: number;
}

/** The strategy of a Deployment. */
export type Strategy =
  | { type: 'RollingUpdate'; maxSurge?: number | string; maxUnavailable?: number | string }
  | { type: 'Recreate' };

/** Where a Deployment's ReplicaSets should be scaled to next: name → replicas. Empty when nothing moves. */
export type ScaleStep = Map<string, number>;

/**
 * The next step of a rollout, Kubernetes' deployment controller's arithmetic: with RollingUpdate,
 * the new ReplicaSet grows first as far as `replicas + maxSurge` allows, then old ReplicaSets
 * shrink — their unavailable pods first, then as far as `replicas - maxUnavailable` available
 * pods allows, oldest first. With Recreate, old ReplicaSets go to zero and the new one grows only
 * once none of their pods is left (`oldPodsRunning` 0). Pure: call again after every change.
 */
export function rolloutStep(
  replicas: number,
  strategy: Strategy,
  newRS: ReplicaSetState,
  oldRSs: readonly ReplicaSetState[],
  oldPodsRunning = oldRSs.reduce((n, rs) => n + rs.replicas, 0),
): ScaleStep {
  const step: ScaleStep = new Map();
  if (strategy.type === 'Recreate') {
    for (const rs of oldRSs) if (rs.replicas > 0) step.set(rs.name, 0);
    if (step.size === 0 && oldPodsRunning === 0 && newRS.replicas !== replicas)
      step.set(newRS.name, replicas);
    return step;
  }
  const all = [newRS, ...oldRSs];
  const total = (list: readonly ReplicaSetState[], f: (rs: ReplicaSetState) => number) =>
    list.reduce((n, rs) => n + f(rs), 0);

  // Scale up the new ReplicaSet (reconcileNewReplicaSet); a scaled-down one goes straight to size.
  const newReplicas =
    newRS.replicas > replicas ? replicas : newRSNewReplicas(replicas, strategy, newRS, all);
  if (newReplicas !== newRS.replicas) {
    step.set(newRS.name, newReplicas);
    return step;
  }

  // Scale down old ReplicaSets (reconcileOldReplicaSets).
  const oldPods = total(oldRSs, (rs) => rs.replicas);
  if (oldPods === 0) return step;
  const minAvailable = minAvailableOf({ replicas, strategy });
  const newUnavailable = newRS.replicas - newRS.available;
  const allPods = total(all, (rs) => rs.replicas);
  let budget = allPods - minAvailable - newUnavailable;
  if (budget <= 0) return step;
  const oldest = [...oldRSs].sort((a, b) => a.createdAt - b.createdAt);
  const target = new Map(oldest.map((rs) => [rs.name, rs.replicas]));
  // First the old pods that are not available anyway (cleanupUnhealthyReplicas).
  for (const rs of oldest) {
    if (budget <= 0) break;
    const unhealthy = rs.replicas - rs.available;
    if (unhealthy <= 0) continue;
    const down = Math.min(unhealthy, budget);
    target.set(rs.name, rs.replicas - down);
    budget -= down;
  }
  // Then available ones, while enough pods stay available (scaleDownOldReplicaSetsForRollingUpdate).
  // Cleanup removed only pods that were not available: the available count is unchanged.
  let canRemove = total(all, (rs) => rs.available) - minAvailable;
  for (const rs of oldest) {
    if (canRemove <= 0) break;
    const current = target.get(rs.name) as number;
    const down = Math.min(current, canRemove);
    if (down <= 0) continue;
    target.set(rs.name, current - down);
    canRemove -= down;
  }
  for (const rs of oldest)
    if (target.get(rs.name) !== rs.replicas) step.set(rs.name, target.get(rs.name) as number);
  return step;
}

/**
 * The size the new ReplicaSet may grow to now (NewRSNewReplicas): with RollingUpdate as far as
 * `replicas + maxSurge` pods in all ReplicaSets (spec.replicas) allow, never past `replicas`;
 * with Recreate, `replicas`.
 */
export function newRSNewReplicas(
  replicas: number,
  strategy: Strategy,
  newRS: Pick<ReplicaSetState, 'replicas'>,
  all: readonly Pick<ReplicaSetState, 'replicas'>[],
): number {
  if (strategy.type === 'Recreate') return replicas;
  const surge = scaledValue(strategy.maxSurge ?? '25%', replicas, true);
  const current = all.reduce((n, rs) => n + rs.replicas, 0);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return newRS.replicas;
  return newRS.replicas + Math.min(maxTotal - current, replicas - newRS.replicas);
}
