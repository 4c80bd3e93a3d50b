import {
  DeploymentReason,
  type DeploymentStatus,
  getDeploymentCondition,
} from './deployment-conditions.js';

/** The largest int32: a progressDeadlineSeconds that means "no deadline". */
export const NO_PROGRESS_DEADLINE = 2147483647;

/** What the progress rules read of a Deployment's spec. */
export interface ProgressSpec {
  replicas: number;
  generation: number;
  /** Kubernetes defaults it to 600; 2147483647 means no deadline. */
  progressDeadlineSeconds: number | undefined;
}

/** Whether a deadline is set at all (HasProgressDeadline). */
export function hasProgressDeadline(spec: ProgressSpec): boolean {
  return (
    spec.progressDeadlineSeconds !== undefined &&
    spec.progressDeadlineSeconds !== NO_PROGRESS_DEADLINE
  );
}

/**
 * The rollout is complete (DeploymentComplete): every desired pod updated and available, no old
 * pod left, and the status observed the latest generation.
 */
export function deploymentComplete(spec: ProgressSpec, status: DeploymentStatus): boolean {
  return (
    status.updatedReplicas === spec.replicas &&
    status.replicas === spec.replicas &&
    status.availableReplicas === spec.replicas &&
    status.observedGeneration >= spec.generation
  );
}

/**
 * The rollout moved since the stored status (DeploymentProgressing): more updated, ready or
 * available pods, or fewer old pods.
 */
export function deploymentProgressing(
  old: Pick<
    DeploymentStatus,
    'replicas' | 'updatedReplicas' | 'readyReplicas' | 'availableReplicas'
  >,
  next: Pick<
    DeploymentStatus,
    'replicas' | 'updatedReplicas' | 'readyReplicas' | 'availableReplicas'
  >,
): boolean {
  return (
    next.updatedReplicas > old.updatedReplicas ||
    next.replicas - next.updatedReplicas < old.replicas - old.updatedReplicas ||
    next.readyReplicas > old.readyReplicas ||
    next.availableReplicas > old.availableReplicas
  );
}

/**
 * The rollout made no progress for progressDeadlineSeconds (DeploymentTimedOut), judged from the
 * Progressing condition of `status`: never when there is none or it says NewReplicaSetAvailable
 * (a finished rollout has nothing to time out), always once it says ProgressDeadlineExceeded,
 * else when its lastUpdateTime + deadline is before `now`.
 */
export function deploymentTimedOut(
  spec: ProgressSpec,
  status: Pick<DeploymentStatus, 'conditions'>,
  now: Date,
): boolean {
  if (!hasProgressDeadline(spec)) return false;
  const c = getDeploymentCondition(status.conditions, 'Progressing');
  if (!c) return false;
  if (c.reason === DeploymentReason.NewReplicaSetAvailable) return false;
  if (c.reason === DeploymentReason.ProgressDeadlineExceeded) return true;
  const deadline = Date.parse(c.lastUpdateTime) + (spec.progressDeadlineSeconds as number) * 1000;
  return deadline < now.getTime();
}

/**
 * When to look again for a progress check (requeueStuckDeployment): undefined when there is no
 * deadline, no Progressing condition, the rollout is complete or already timed out; 0 when the
 * deadline is less than a second away; else the milliseconds until it passes.
 */
export function progressCheckAfterMs(
  spec: ProgressSpec,
  current: Pick<DeploymentStatus, 'conditions'>,
  next: DeploymentStatus,
  now: Date,
): number | undefined {
  const c = getDeploymentCondition(current.conditions, 'Progressing');
  if (!hasProgressDeadline(spec) || !c) return undefined;
  if (deploymentComplete(spec, next) || c.reason === DeploymentReason.ProgressDeadlineExceeded)
    return undefined;
  const after =
    Date.parse(c.lastUpdateTime) + (spec.progressDeadlineSeconds as number) * 1000 - now.getTime();
  return after < 1000 ? 0 : after;
}
