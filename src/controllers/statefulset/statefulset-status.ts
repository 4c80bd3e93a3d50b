import type { StatefulSetStatus } from '../../manifests/generated/k8s-status.js';
import { type PodFacts, podAvailable } from '../pod-facts.js';

export type { StatefulSetStatus } from '../../manifests/generated/k8s-status.js';

/** What {@link statefulSetStatus} reads. */
export interface StatefulSetStatusInput {
  generation: number;
  /** The pods that exist after this step, with their `controller-revision-hash`. */
  pods: ReadonlyArray<PodFacts & { revision: string }>;
  currentRevision: string;
  updateRevision: string;
  minReadySeconds: number;
  nowMs: number;
}

/**
 * A StatefulSet's status as Kubernetes computes it (a pure function): replicas are the pods that
 * exist, ready the Running and Ready ones, available those ready for minReadySeconds, current and
 * updated those at each revision that are not terminating. Once every pod is updated and ready, the update revision
 * becomes the current one (Kubernetes' completeRollingUpdate).
 */
export function statefulSetStatus(input: StatefulSetStatusInput): StatefulSetStatus {
  const replicas = input.pods.length;
  const ready = input.pods.filter((p) => p.ready).length;
  // A terminating pod counts in replicas (and ready) but at no revision, as Kubernetes counts.
  const live = input.pods.filter((p) => !p.terminating);
  const updated = live.filter((p) => p.revision === input.updateRevision).length;
  let currentRevision = input.currentRevision;
  let current = live.filter((p) => p.revision === currentRevision).length;
  if (updated === replicas && ready === replicas) {
    currentRevision = input.updateRevision;
    current = updated;
  }
  return {
    observedGeneration: input.generation,
    replicas,
    readyReplicas: ready,
    currentReplicas: current,
    updatedReplicas: updated,
    currentRevision,
    updateRevision: input.updateRevision,
    collisionCount: 0,
    availableReplicas: input.pods.filter((p) => podAvailable(p, input.minReadySeconds, input.nowMs))
      .length,
  };
}
