import { maxSurge } from './replica-annotations.js';
import type { ReplicaSetState, ScaleStep, Strategy } from './rollout-step.js';

/** What a scaling event reads of the Deployment. */
export interface ScaleDeployment {
  replicas: number;
  strategy: Strategy;
  /** status.replicas: the fallback when a ReplicaSet lost its max-replicas annotation. */
  statusReplicas: number;
}

/**
 * The sizes after a scaling event (the deployment controller's `scale`): a lone active (or the
 * newest) ReplicaSet takes spec.replicas; a saturated new ReplicaSet sends the old ones to 0;
 * during a rolling update every active ReplicaSet grows or shrinks in proportion to its size
 * before the scale (its max-replicas annotation), the leftover going to the largest. Every
 * active ReplicaSet is listed (its annotations need the new size even when its count stays).
 */
export function proportionalScale(
  d: ScaleDeployment,
  newRS: ReplicaSetState | undefined,
  oldRSs: readonly ReplicaSetState[],
): ScaleStep {
  const step: ScaleStep = new Map();
  const lone = activeOrLatest(newRS, oldRSs);
  if (lone) {
    // Listed also when only its desired-replicas annotation is stale (Kubernetes refreshes it
    // in getNewReplicaSet): otherwise every later sync would be a scaling event again.
    if (lone.replicas !== d.replicas || lone.desiredReplicas !== d.replicas)
      step.set(lone.name, d.replicas);
    return step;
  }
  if (newRS && isSaturated(d.replicas, newRS)) {
    for (const rs of oldRSs) if (rs.replicas > 0) step.set(rs.name, 0);
    return step;
  }
  if (d.strategy.type !== 'RollingUpdate') return step;
  const active = [...(newRS ? [newRS] : []), ...oldRSs].filter((rs) => rs.replicas > 0);
  const current = active.reduce((n, rs) => n + rs.replicas, 0);
  const allowed = d.replicas > 0 ? d.replicas + maxSurge(d.replicas, d.strategy) : 0;
  const toAdd = allowed - current;
  // Larger first; among equals, newer first when growing and older first when shrinking.
  active.sort((a, b) =>
    a.replicas !== b.replicas
      ? b.replicas - a.replicas
      : toAdd > 0
        ? b.createdAt - a.createdAt
        : a.createdAt - b.createdAt,
  );
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of active) {
    if (toAdd === 0) {
      sizes.set(rs.name, rs.replicas);
      continue;
    }
    const p = replicaSetProportion(rs, d, toAdd, added);
    sizes.set(rs.name, rs.replicas + p);
    added += p;
  }
  const first = active[0];
  if (first && toAdd !== 0)
    sizes.set(first.name, Math.max(0, (sizes.get(first.name) as number) + toAdd - added));
  for (const rs of active) step.set(rs.name, sizes.get(rs.name) as number);
  return step;
}

/** The one active ReplicaSet, or the newest when none is active; undefined when several are (FindActiveOrLatest). */
export function activeOrLatest(
  newRS: ReplicaSetState | undefined,
  oldRSs: readonly ReplicaSetState[],
): ReplicaSetState | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => b.createdAt - a.createdAt);
  const active = [...newestFirst, ...(newRS ? [newRS] : [])].filter((rs) => rs.replicas > 0);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** The new ReplicaSet runs all desired pods, available, for the current size (IsSaturated). */
export function isSaturated(replicas: number, rs: ReplicaSetState): boolean {
  return rs.replicas === replicas && rs.desiredReplicas === replicas && rs.available === replicas;
}

/** How many replicas this ReplicaSet gains (or loses) of `toAdd` (GetReplicaSetProportion). */
export function replicaSetProportion(
  rs: ReplicaSetState,
  d: ScaleDeployment,
  toAdd: number,
  added: number,
): number {
  if (rs.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** The change that keeps this ReplicaSet's share of the Deployment (getReplicaSetFraction). */
export function replicaSetFraction(rs: ReplicaSetState, d: ScaleDeployment): number {
  if (d.replicas === 0) return -rs.replicas;
  const max = d.replicas + maxSurge(d.replicas, d.strategy);
  let before = rs.maxReplicas;
  if (before === undefined || before === 0) {
    before = d.statusReplicas;
    if (before === 0) return 0;
  }
  return roundHalfAway((rs.replicas * max) / before) - rs.replicas;
}

function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}
