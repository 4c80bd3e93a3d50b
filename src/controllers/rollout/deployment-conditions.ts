import type { DeploymentCondition } from '../../manifests/generated/k8s-status.js';

export type {
  DeploymentCondition,
  DeploymentStatus,
} from '../../manifests/generated/k8s-status.js';

/** The condition types of an apps/v1 Deployment. */
export type DeploymentConditionType = DeploymentCondition['type'];

/** The reasons Kubernetes' deployment controller writes (pkg/controller/deployment/util). */
export const DeploymentReason = {
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  DeploymentPaused: 'DeploymentPaused',
  DeploymentResumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** A condition with both times set to `now` (NewDeploymentCondition). */
export function newDeploymentCondition(
  type: DeploymentConditionType,
  status: DeploymentCondition['status'],
  reason: string,
  message: string,
  now: string,
): DeploymentCondition {
  return { type, status, reason, message, lastTransitionTime: now, lastUpdateTime: now };
}

/** The condition of that type, if any (GetDeploymentCondition). */
export function getDeploymentCondition(
  conditions: readonly DeploymentCondition[] | undefined,
  type: DeploymentConditionType,
): DeploymentCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

/**
 * The conditions with `condition` set, as SetDeploymentCondition does: nothing changes when a
 * condition of that type already has the same status and reason (message and times included);
 * lastTransitionTime is kept when only the reason changes; the new condition goes last.
 */
export function setDeploymentCondition(
  conditions: readonly DeploymentCondition[],
  condition: DeploymentCondition,
): DeploymentCondition[] {
  const current = getDeploymentCondition(conditions, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason)
    return [...conditions];
  const next =
    current && current.status === condition.status
      ? { ...condition, lastTransitionTime: current.lastTransitionTime }
      : condition;
  return [...removeDeploymentCondition(conditions, condition.type), next];
}

/** The conditions without the one of that type (RemoveDeploymentCondition). */
export function removeDeploymentCondition(
  conditions: readonly DeploymentCondition[],
  type: DeploymentConditionType,
): DeploymentCondition[] {
  return conditions.filter((c) => c.type !== type);
}
