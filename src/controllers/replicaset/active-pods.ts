/** What Kubernetes' ActivePods ranking reads of a pod. */
export interface RankedPod {
  name: string;
  /** The node it is bound to (`spec.nodeName`); empty while unscheduled. */
  nodeName: string;
  /** Pending, Running, Unknown (Succeeded and Failed pods are not active). */
  phase: string;
  /** Its Ready condition is True. */
  ready: boolean;
  /** When it became ready (ms since the epoch); undefined when unknown. */
  readySinceMs?: number;
  /** The highest restart count of its containers. */
  maxRestarts: number;
  /** Its creation time (ms since the epoch); undefined when unset. */
  createdMs?: number;
  /** `controller.kubernetes.io/pod-deletion-cost`, default 0. */
  deletionCost: number;
  /** Its `metadata.uid`: the tie-breaker of two pods ready (or made) in the same log2 bucket. */
  uid: string;
}

/** The annotation whose (int32) value ranks a pod for deletion: lower goes first. */
export const POD_DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** A pod's deletion cost from its annotations; 0 when absent or not an int32. */
export function deletionCost(annotations: Record<string, string> | undefined): number {
  const text = annotations?.[POD_DELETION_COST];
  if (text === undefined || !/^-?\d+$/.test(text.trim())) return 0;
  const n = Number(text.trim());
  return n >= -(2 ** 31) && n < 2 ** 31 ? n : 0;
}

/**
 * Kubernetes' ActivePodsWithRanks.Less (pkg/controller/controller_utils.go, with
 * PodDeletionCost and LogarithmicScaleDown on, their defaults): negative when `a` is deleted
 * before `b`. Unscheduled before scheduled; Pending before Unknown before Running; not ready
 * before ready; lower deletion cost first; higher rank (more related pods on its node) first;
 * ready for less time first (compared on a log2 scale of the time since); more container
 * restarts first; newer first.
 */
export function compareActivePods(
  a: RankedPod,
  b: RankedPod,
  rankA: number,
  rankB: number,
  nowMs: number,
): number {
  if (a.nodeName !== b.nodeName && (a.nodeName === '' || b.nodeName === ''))
    return a.nodeName === '' ? -1 : 1;
  const pa = PHASE_ORDER[a.phase] ?? 0;
  const pb = PHASE_ORDER[b.phase] ?? 0;
  if (pa !== pb) return pa - pb;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.deletionCost !== b.deletionCost) return a.deletionCost - b.deletionCost;
  if (rankA !== rankB) return rankB - rankA;
  if (a.ready && b.ready && a.readySinceMs !== b.readySinceMs) {
    const order = newerFirst(a.readySinceMs, b.readySinceMs, nowMs, a.uid, b.uid);
    if (order !== 0) return order;
  }
  if (a.maxRestarts !== b.maxRestarts) return b.maxRestarts - a.maxRestarts;
  if (a.createdMs !== b.createdMs) return newerFirst(a.createdMs, b.createdMs, nowMs, a.uid, b.uid);
  return 0;
}

/**
 * Two times, the newer (or unset) first; on a log2 scale of their age when both are set
 * (LogarithmicScaleDown), same-bucket ties broken by UID.
 */
function newerFirst(
  a: number | undefined,
  b: number | undefined,
  nowMs: number,
  uidA: string,
  uidB: string,
): number {
  if (a === undefined || b === undefined || a === 0 || b === 0) {
    // afterOrZero: an unset time counts as the newest.
    if (a === undefined || a === 0) return -1;
    return 1;
  }
  // logarithmicRankDiff: log2 of the age in nanoseconds, -1 for a time not in the past.
  const bucket = (t: number) => (nowMs > t ? Math.floor(Math.log2((nowMs - t) * 1e6)) : -1);
  const diff = bucket(a) - bucket(b);
  if (diff !== 0) return diff;
  return uidA < uidB ? -1 : uidA > uidB ? 1 : 0;
}

/**
 * Kubernetes' getPodsToDelete: the `diff` pods to remove from `pods`. When some stay, they are
 * ranked by {@link compareActivePods}, each pod's rank being the number of active `related` pods
 * (the pods of every ReplicaSet of the same owner) on its node; when all go, in their order.
 */
export function podsToDelete<P extends RankedPod>(
  pods: readonly P[],
  related: readonly RankedPod[],
  diff: number,
  nowMs: number,
): P[] {
  if (diff >= pods.length) return pods.slice(0, diff);
  const onNode = new Map<string, number>();
  for (const p of related) onNode.set(p.nodeName, (onNode.get(p.nodeName) ?? 0) + 1);
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.nodeName) ?? 0 }));
  ranked.sort((x, y) => compareActivePods(x.pod, y.pod, x.rank, y.rank, nowMs));
  return ranked.slice(0, diff).map((r) => r.pod);
}
