import {
  type DeploymentCondition,
  DeploymentReason,
  type DeploymentStatus,
  getDeploymentCondition,
  newDeploymentCondition,
  removeDeploymentCondition,
  setDeploymentCondition,
} from './deployment-conditions.js';
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  hasProgressDeadline,
  type ProgressSpec,
} from './deployment-progress.js';
import { resolveFenceposts } from './int-or-percent.js';

export type { DeploymentStatus } from './deployment-conditions.js';

/** One ReplicaSet of a Deployment: its spec.replicas and the counts of its status. */
export interface ReplicaSetPods {
  name: string;
  /** spec.replicas: the pods it is asked to run. */
  desired: number;
  /** status.replicas: pods that exist. */
  replicas: number;
  ready: number;
  available: number;
}

/** Inputs of {@link deploymentStatus}: the Deployment, its ReplicaSets, and what this sync did. */
export interface DeploymentStatusInput {
  /** metadata.name, for the messages when there is no new ReplicaSet. */
  name: string;
  generation: number;
  replicas: number;
  paused: boolean;
  strategy:
    | { type: 'RollingUpdate'; maxSurge?: number | string; maxUnavailable?: number | string }
    | { type: 'Recreate' };
  /** Kubernetes defaults it to 600 (applied here when undefined); 2147483647 means none. */
  progressDeadlineSeconds?: number;
  /** The ReplicaSet of the current template; undefined when paused before it was created. */
  newRS: ReplicaSetPods | undefined;
  /** True when this sync created the new ReplicaSet. */
  newRSCreated: boolean;
  oldRSs: readonly ReplicaSetPods[];
  /**
   * True when this sync was a scaling event or the Deployment is paused: Kubernetes then takes
   * its `sync` path, which updates the counts and `Available` but never estimates progress.
   */
  scaleOnly?: boolean;
  previous?: DeploymentStatus;
  now: Date;
}

/** The default of spec.progressDeadlineSeconds. */
export const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

/** The progress rules' view of the input. */
export function progressSpec(input: DeploymentStatusInput): ProgressSpec {
  return {
    replicas: input.replicas,
    generation: input.generation,
    progressDeadlineSeconds: input.progressDeadlineSeconds ?? DEFAULT_PROGRESS_DEADLINE_SECONDS,
  };
}

/**
 * The status of a Deployment after one sync, as Kubernetes' deployment controller writes it:
 * the paused/resumed condition (checkPausedConditions), the condition of a created or found new
 * ReplicaSet (getNewReplicaSet), the counts and `Available` (calculateStatus), and, on the
 * rollout path, `Progressing` (syncRolloutStatus): untouched while the last rollout is complete
 * (NewReplicaSetAvailable and no old pod), NewReplicaSetAvailable when complete, ReplicaSetUpdated
 * on progress, ProgressDeadlineExceeded when no progress came for progressDeadlineSeconds.
 */
export function deploymentStatus(input: DeploymentStatusInput): DeploymentStatus {
  const spec = progressSpec(input);
  const now = input.now.toISOString();
  const stored: DeploymentStatus = input.previous ?? {
    observedGeneration: 0,
    replicas: 0,
    updatedReplicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    unavailableReplicas: 0,
    conditions: [],
  };
  // What the controller wrote before this status: paused/resumed, then the new ReplicaSet.
  let conditions = pausedConditions(input, spec, stored.conditions, now);
  const rs = input.newRS?.name;
  if (hasProgressDeadline(spec) && rs !== undefined) {
    if (input.newRSCreated)
      conditions = setDeploymentCondition(
        conditions,
        newDeploymentCondition(
          'Progressing',
          'True',
          DeploymentReason.NewReplicaSetCreated,
          `Created new replica set "${rs}"`,
          now,
        ),
      );
    else if (timedOutForAnother(conditions, rs))
      // Berth: a rollback to an existing ReplicaSet (a revert commit) starts a new deadline,
      // so the revert is not judged by the timeout of the rollout it reverts.
      conditions = [
        ...removeDeploymentCondition(conditions, 'Progressing'),
        newDeploymentCondition(
          'Progressing',
          'True',
          DeploymentReason.FoundNewReplicaSet,
          `Found new replica set "${rs}"`,
          now,
        ),
      ];
    else if (!getDeploymentCondition(conditions, 'Progressing'))
      conditions = setDeploymentCondition(
        conditions,
        newDeploymentCondition(
          'Progressing',
          'True',
          DeploymentReason.FoundNewReplicaSet,
          `Found new replica set "${rs}"`,
          now,
        ),
      );
  }
  const current = { ...stored, conditions };
  if (input.scaleOnly || input.paused) return calculateStatus(input, current, now);
  return syncRolloutStatus(input, current);
}

/** The stored Progressing condition timed out a rollout of another ReplicaSet than `rs`. */
function timedOutForAnother(conditions: readonly DeploymentCondition[], rs: string): boolean {
  const c = getDeploymentCondition(conditions, 'Progressing');
  return c?.reason === DeploymentReason.ProgressDeadlineExceeded && !c.message.includes(`"${rs}"`);
}

function pausedConditions(
  input: DeploymentStatusInput,
  spec: ProgressSpec,
  conditions: readonly DeploymentCondition[],
  now: string,
): DeploymentCondition[] {
  const cond = getDeploymentCondition(conditions, 'Progressing');
  if (!hasProgressDeadline(spec) || cond?.reason === DeploymentReason.ProgressDeadlineExceeded)
    return [...conditions];
  const pausedExists = cond?.reason === DeploymentReason.DeploymentPaused;
  if (input.paused && !pausedExists)
    return setDeploymentCondition(
      conditions,
      newDeploymentCondition(
        'Progressing',
        'Unknown',
        DeploymentReason.DeploymentPaused,
        'Deployment is paused',
        now,
      ),
    );
  if (!input.paused && pausedExists)
    return setDeploymentCondition(
      conditions,
      newDeploymentCondition(
        'Progressing',
        'Unknown',
        DeploymentReason.DeploymentResumed,
        'Deployment is resumed',
        now,
      ),
    );
  return [...conditions];
}

/** maxUnavailable of the Deployment, capped at its replicas; 0 for Recreate (MaxUnavailable). */
export function maxUnavailable(
  input: Pick<DeploymentStatusInput, 'replicas' | 'strategy'>,
): number {
  if (input.strategy.type !== 'RollingUpdate' || input.replicas === 0) return 0;
  const { maxUnavailable: n } = resolveFenceposts(
    input.replicas,
    input.strategy.maxSurge,
    input.strategy.maxUnavailable,
  );
  return Math.min(n, input.replicas);
}

/** replicas - maxUnavailable for a rolling update, 0 for Recreate (MinAvailable). */
export function minAvailable(input: Pick<DeploymentStatusInput, 'replicas' | 'strategy'>): number {
  if (input.strategy.type !== 'RollingUpdate') return 0;
  return input.replicas - maxUnavailable(input);
}

/** The counts and `Available`, with the stored conditions carried over (calculateStatus). */
function calculateStatus(
  input: DeploymentStatusInput,
  current: DeploymentStatus,
  now: string,
): DeploymentStatus {
  const all = input.newRS ? [...input.oldRSs, input.newRS] : [...input.oldRSs];
  const sum = (f: (rs: ReplicaSetPods) => number) => all.reduce((n, rs) => n + f(rs), 0);
  const available = sum((rs) => rs.available);
  const status: DeploymentStatus = {
    observedGeneration: input.generation,
    replicas: sum((rs) => rs.replicas),
    updatedReplicas: input.newRS?.replicas ?? 0,
    readyReplicas: sum((rs) => rs.ready),
    availableReplicas: available,
    // Desired pods (spec.replicas of the ReplicaSets) not available; never negative.
    unavailableReplicas: Math.max(0, sum((rs) => rs.desired) - available),
    conditions: current.conditions,
  };
  const condition =
    available >= input.replicas - maxUnavailable(input)
      ? newDeploymentCondition(
          'Available',
          'True',
          DeploymentReason.MinimumReplicasAvailable,
          'Deployment has minimum availability.',
          now,
        )
      : newDeploymentCondition(
          'Available',
          'False',
          DeploymentReason.MinimumReplicasUnavailable,
          'Deployment does not have minimum availability.',
          now,
        );
  return { ...status, conditions: setDeploymentCondition(status.conditions, condition) };
}

/**
 * The status on the rollout path (syncRolloutStatus): the counts and `Available`, then
 * `Progressing` judged against `current`, the stored status (`input.previous` is not read).
 */
export function syncRolloutStatus(
  input: DeploymentStatusInput,
  current: DeploymentStatus,
): DeploymentStatus {
  const spec = progressSpec(input);
  const now = input.now.toISOString();
  const next = calculateStatus(input, current, now);
  let conditions = next.conditions;
  if (!hasProgressDeadline(spec)) conditions = removeDeploymentCondition(conditions, 'Progressing');
  const currentCond = getDeploymentCondition(current.conditions, 'Progressing');
  // A resync after a completed rollout (a scale, say) estimates no progress.
  const complete =
    next.replicas === next.updatedReplicas &&
    currentCond?.reason === DeploymentReason.NewReplicaSetAvailable;
  if (!hasProgressDeadline(spec) || complete) return { ...next, conditions };
  const rs = input.newRS?.name;
  const subject = rs !== undefined ? `ReplicaSet "${rs}"` : `Deployment "${input.name}"`;
  if (deploymentComplete(spec, next)) {
    conditions = setDeploymentCondition(
      conditions,
      newDeploymentCondition(
        'Progressing',
        'True',
        DeploymentReason.NewReplicaSetAvailable,
        `${subject} has successfully progressed.`,
        now,
      ),
    );
  } else if (deploymentProgressing(current, next)) {
    // Progress moves lastUpdateTime even when the reason stays; a True status keeps its transition.
    const condition = newDeploymentCondition(
      'Progressing',
      'True',
      DeploymentReason.ReplicaSetUpdated,
      `${subject} is progressing.`,
      now,
    );
    if (currentCond?.status === 'True')
      condition.lastTransitionTime = currentCond.lastTransitionTime;
    if (currentCond) conditions = removeDeploymentCondition(conditions, 'Progressing');
    conditions = setDeploymentCondition(conditions, condition);
  } else if (deploymentTimedOut(spec, { conditions }, input.now)) {
    conditions = setDeploymentCondition(
      conditions,
      newDeploymentCondition(
        'Progressing',
        'False',
        DeploymentReason.ProgressDeadlineExceeded,
        `${subject} has timed out progressing.`,
        now,
      ),
    );
  }
  return { ...next, conditions };
}
