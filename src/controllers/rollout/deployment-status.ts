import { transitionTime } from '../conditions.js';
import { resolveFenceposts } from './int-or-percent.js';

/** A Deployment condition as Kubernetes writes it. */
export interface DeploymentCondition {
  type: 'Available' | 'Progressing';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  /** ISO 8601: when the condition last changed status. */
  lastTransitionTime: string;
  /** ISO 8601: when the rollout last made progress (Progressing) or the condition was last set. */
  lastUpdateTime: string;
}

/** apps/v1 DeploymentStatus, as `kubectl get deploy -o yaml` shows it. */
export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: DeploymentCondition[];
}

/** Pod counts of one ReplicaSet, from its pods. */
export interface ReplicaSetPods {
  name: string;
  /** Pods that exist (any phase but terminated). */
  replicas: number;
  ready: number;
  available: number;
}

/** Inputs of {@link deploymentStatus}. */
export interface DeploymentStatusInput {
  generation: number;
  replicas: number;
  paused: boolean;
  strategy:
    | { type: 'RollingUpdate'; maxSurge?: number | string; maxUnavailable?: number | string }
    | { type: 'Recreate' };
  /** Default 600. */
  progressDeadlineSeconds?: number;
  newRS: ReplicaSetPods;
  /** True when this sync created the new ReplicaSet. */
  newRSCreated: boolean;
  oldRSs: readonly ReplicaSetPods[];
  previous?: DeploymentStatus;
  now: Date;
}

/**
 * The status of a Deployment after a sync, as Kubernetes' deployment controller computes it:
 * pod counts summed over its ReplicaSets; `Available` True once `replicas - maxUnavailable`
 * pods are available; `Progressing` True while the new ReplicaSet makes progress, True with
 * NewReplicaSetAvailable when the rollout is complete, and False with ProgressDeadlineExceeded
 * when it made no progress for `progressDeadlineSeconds` (it stays so until the next rollout).
 */
export function deploymentStatus(input: DeploymentStatusInput): DeploymentStatus {
  const all = [input.newRS, ...input.oldRSs];
  const sum = (f: (rs: ReplicaSetPods) => number) => all.reduce((n, rs) => n + f(rs), 0);
  const counts = {
    observedGeneration: input.generation,
    replicas: sum((rs) => rs.replicas),
    updatedReplicas: input.newRS.replicas,
    readyReplicas: sum((rs) => rs.ready),
    availableReplicas: sum((rs) => rs.available),
    unavailableReplicas: Math.max(0, input.replicas - sum((rs) => rs.available)),
  };
  const now = input.now.toISOString();
  const prev = input.previous?.conditions ?? [];
  const maxUnavailable =
    input.strategy.type === 'RollingUpdate'
      ? resolveFenceposts(input.replicas, input.strategy.maxSurge, input.strategy.maxUnavailable)
          .maxUnavailable
      : 0;
  const available =
    counts.availableReplicas >= input.replicas - maxUnavailable
      ? cond(
          'Available',
          'True',
          'MinimumReplicasAvailable',
          'Deployment has minimum availability.',
        )
      : cond(
          'Available',
          'False',
          'MinimumReplicasUnavailable',
          'Deployment does not have minimum availability.',
        );
  const progressing = progressingCondition(
    input,
    counts,
    prev.find((c) => c.type === 'Progressing'),
    now,
  );
  return { ...counts, conditions: [stamp(available, prev, now), progressing] };
}

type Partial = Pick<DeploymentCondition, 'type' | 'status' | 'reason' | 'message'>;

function progressingCondition(
  input: DeploymentStatusInput,
  counts: Omit<DeploymentStatus, 'conditions'>,
  previous: DeploymentCondition | undefined,
  now: string,
): DeploymentCondition {
  const rs = input.newRS.name;
  if (input.paused)
    return stamp(
      cond('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused'),
      previous,
      now,
    );
  const complete =
    counts.updatedReplicas === input.replicas &&
    counts.replicas === input.replicas &&
    counts.availableReplicas === input.replicas;
  if (complete) {
    return stamp(
      cond(
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${rs}" has successfully progressed.`,
      ),
      previous,
      now,
    );
  }
  if (input.newRSCreated) {
    return progressed(
      cond('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rs}"`),
      previous,
      now,
    );
  }
  // A timed-out rollout stays timed out until the next one (a new ReplicaSet) starts.
  if (previous?.reason === 'ProgressDeadlineExceeded' && previous.message.includes(`"${rs}"`))
    return previous;
  const before = input.previous;
  const madeProgress =
    before === undefined ||
    counts.updatedReplicas > before.updatedReplicas ||
    counts.availableReplicas > before.availableReplicas ||
    counts.readyReplicas > before.readyReplicas ||
    counts.replicas - counts.updatedReplicas < before.replicas - before.updatedReplicas;
  if (madeProgress || previous === undefined) {
    return progressed(
      cond('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rs}" is progressing.`),
      previous,
      now,
    );
  }
  const deadlineMs = (input.progressDeadlineSeconds ?? 600) * 1000;
  if (input.now.getTime() - Date.parse(previous.lastUpdateTime) > deadlineMs) {
    return stamp(
      cond(
        'Progressing',
        'False',
        'ProgressDeadlineExceeded',
        `ReplicaSet "${rs}" has timed out progressing.`,
      ),
      previous,
      now,
    );
  }
  return previous;
}

function cond(
  type: DeploymentCondition['type'],
  status: DeploymentCondition['status'],
  reason: string,
  message: string,
): Partial {
  return { type, status, reason, message };
}

/** The condition with times: lastTransitionTime kept while the status stays, lastUpdateTime kept while nothing changes. */
function stamp(
  c: Partial,
  previous: DeploymentCondition | readonly DeploymentCondition[] | undefined,
  now: string,
): DeploymentCondition {
  const prev = Array.isArray(previous)
    ? previous.find((p) => p.type === c.type)
    : (previous as DeploymentCondition | undefined);
  const same =
    prev && prev.status === c.status && prev.reason === c.reason && prev.message === c.message;
  return {
    ...c,
    lastTransitionTime: transitionTime(prev, c.status, now),
    lastUpdateTime: same ? prev.lastUpdateTime : now,
  };
}

/** A Progressing condition that records progress now (its deadline starts again). */
function progressed(
  c: Partial,
  previous: DeploymentCondition | undefined,
  now: string,
): DeploymentCondition {
  return { ...stamp(c, previous, now), lastUpdateTime: now };
}
