import { isTerminating, type Stored } from '../store/index.js';
import { readySince } from './owned.js';

/** What a workload controller needs to know of one of its pods, read from the store. */
export interface PodFacts {
  name: string;
  /** `Pending` until the node reports, then Running, Succeeded, Failed (or Unknown). */
  phase: string;
  /** Running with its Ready condition True. */
  ready: boolean;
  /** Being deleted (metadata.deletionTimestamp set): its node is stopping it. */
  terminating?: boolean;
  /** When it became ready (ms since the epoch), if it is. */
  readySinceMs?: number;
  /** Container restarts so far, summed over its containers. */
  restarts: number;
  /** When its last container finished (ms since the epoch), for a Succeeded or Failed pod. */
  finishedAtMs?: number;
  createdAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** Reads the {@link PodFacts} of a stored pod. */
export function podFacts(pod: Stored<'Pod'>): PodFacts {
  const status = pod.status;
  const phase = status?.phase ?? 'Pending';
  const since = readySince(pod);
  const finished = (status?.containerStatuses ?? [])
    .map((c) => Date.parse(c.state?.terminated?.finishedAt ?? ''))
    .filter((t) => !Number.isNaN(t));
  return {
    name: pod.metadata.name,
    phase,
    ready: phase === 'Running' && since !== undefined,
    terminating: isTerminating(pod),
    ...(since !== undefined ? { readySinceMs: since } : {}),
    restarts: (status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
    ...(finished.length > 0 ? { finishedAtMs: Math.max(...finished) } : {}),
    createdAt: pod.metadata.creationTimestamp,
    labels: pod.metadata.labels ?? {},
    annotations: pod.metadata.annotations ?? {},
  };
}

/** Whether a pod has run to its end (Succeeded or Failed): its containers will not start again. */
export function podFinished(pod: { phase: string }): boolean {
  return pod.phase === 'Succeeded' || pod.phase === 'Failed';
}

/**
 * Kubernetes' IsPodActive (pkg/controller/controller_utils.go): neither finished (Succeeded,
 * Failed) nor terminating. What a ReplicaSet or Job counts as its pods; a terminating pod is
 * replaced at once, while its containers still stop.
 */
export function podActive(pod: Stored<'Pod'> | PodFacts): boolean {
  const facts = 'metadata' in pod ? podFacts(pod) : pod;
  return !podFinished(facts) && !facts.terminating;
}

/**
 * Whether a pod may still have running containers: not finished, terminating or not
 * (the deployment controller's oldPodsRunning, a StatefulSet's or DaemonSet's wait for a pod
 * to be gone before its replacement starts).
 */
export function podMayRun(pod: Stored<'Pod'> | PodFacts): boolean {
  return !podFinished('metadata' in pod ? podFacts(pod) : pod);
}

/** Whether a ready pod has been ready for `minReadySeconds` at `nowMs`. */
export function podAvailable(pod: PodFacts, minReadySeconds: number, nowMs: number): boolean {
  return pod.readySinceMs !== undefined && pod.readySinceMs + minReadySeconds * 1000 <= nowMs;
}

/** A time as Kubernetes writes it in a status: RFC 3339, whole seconds, UTC (`2025-01-02T03:04:05Z`). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** How long until the next ready pod becomes available (minReadySeconds), if one will. */
export function availableAfterMs(
  pods: readonly PodFacts[],
  minReadySeconds: number,
  nowMs: number,
): number | undefined {
  let next: number | undefined;
  for (const pod of pods) {
    if (pod.readySinceMs === undefined) continue;
    const wait = pod.readySinceMs + minReadySeconds * 1000 - nowMs;
    if (wait > 0) next = Math.min(next ?? wait, wait);
  }
  return next;
}
