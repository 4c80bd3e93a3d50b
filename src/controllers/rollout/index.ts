export {
  type DeploymentCondition,
  type DeploymentConditionType,
  DeploymentReason,
  getDeploymentCondition,
  newDeploymentCondition,
  removeDeploymentCondition,
  setDeploymentCondition,
} from './deployment-conditions.js';
export {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  hasProgressDeadline,
  NO_PROGRESS_DEADLINE,
  type ProgressSpec,
  progressCheckAfterMs,
} from './deployment-progress.js';
export {
  DEFAULT_PROGRESS_DEADLINE_SECONDS,
  type DeploymentStatus,
  type DeploymentStatusInput,
  deploymentStatus,
  maxUnavailable,
  minAvailable,
  progressSpec,
  type ReplicaSetPods,
  syncRolloutStatus,
} from './deployment-status.js';
export { resolveFenceposts, scaledValue } from './int-or-percent.js';
export { canonicalJson, podTemplateHash } from './pod-template-hash.js';
export {
  activeOrLatest,
  isSaturated,
  proportionalScale,
  replicaSetFraction,
  replicaSetProportion,
  type ScaleDeployment,
} from './proportional-scale.js';
export {
  DESIRED_REPLICAS,
  isScalingEvent,
  MAX_REPLICAS,
  maxSurge,
  nonNegativeInt32,
  replicasAnnotations,
} from './replica-annotations.js';
export {
  newRSNewReplicas,
  type ReplicaSetState,
  rolloutStep,
  type ScaleStep,
  type Strategy,
} from './rollout-step.js';
