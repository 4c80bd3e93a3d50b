import type {
  ReplicaSetCondition,
  ReplicaSetStatus,
} from '../../manifests/generated/k8s-status.js';
import { setCondition } from '../conditions.js';

export type {
  ReplicaSetCondition,
  ReplicaSetStatus,
} from '../../manifests/generated/k8s-status.js';

/** What {@link replicaSetStatus} reads of one pod. */
export interface StatusPod {
  labels: Record<string, string>;
  /** Its Ready condition is True. */
  ready: boolean;
  /** The Ready condition's lastTransitionTime (ms since the epoch); undefined when unset. */
  readySinceMs?: number;
}

/** What {@link replicaSetStatus} reads. */
export interface ReplicaSetStatusInput {
  generation: number;
  /** The ReplicaSet's desired count. */
  replicas: number;
  minReadySeconds: number;
  /** `spec.template.metadata.labels`. */
  templateLabels: Record<string, string>;
  /** The pods it owns (not terminating). */
  pods: readonly StatusPod[];
  /** The conditions it had. */
  conditions?: readonly ReplicaSetCondition[];
  /** The error creating or deleting pods ran into in this sync, if any. */
  manageError?: string;
  nowMs: number;
}

/**
 * Kubernetes' calculateStatus (pkg/controller/replicaset/replica_set_utils.go), a pure
 * function: replicas are the pods; fully labeled those carrying every label of the template;
 * ready those whose Ready condition is True; available those ready for more than
 * minReadySeconds (a ready pod without a transition time is not available when
 * minReadySeconds is set). A failed create or delete sets `ReplicaFailure` (reason FailedCreate
 * when pods were missing, FailedDelete when there were too many); a sync without error removes it.
 */
export function replicaSetStatus(input: ReplicaSetStatusInput): ReplicaSetStatus {
  const minReadyMs = input.minReadySeconds * 1000;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of input.pods) {
    if (Object.entries(input.templateLabels).every(([k, v]) => pod.labels[k] === v)) fullyLabeled++;
    if (!pod.ready) continue;
    ready++;
    if (minReadyMs === 0 || (pod.readySinceMs && pod.readySinceMs + minReadyMs < input.nowMs))
      available++;
  }
  let conditions = [...(input.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (input.manageError !== undefined && !failure) {
    const diff = input.pods.length - input.replicas;
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions = setCondition<ReplicaSetCondition>(
      conditions,
      { type: 'ReplicaFailure', status: 'True', reason, message: input.manageError },
      new Date(input.nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    );
  } else if (input.manageError === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  return {
    observedGeneration: input.generation,
    replicas: input.pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    ...(conditions.length > 0 ? { conditions } : {}),
  };
}
