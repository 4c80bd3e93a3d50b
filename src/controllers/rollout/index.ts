export {
  type DeploymentCondition,
  type DeploymentStatus,
  type DeploymentStatusInput,
  deploymentStatus,
  type ReplicaSetPods,
} from './deployment-status.js';
export { resolveFenceposts, scaledValue } from './int-or-percent.js';
export { canonicalJson, podTemplateHash } from './pod-template-hash.js';
export {
  type ReplicaSetState,
  rolloutStep,
  type ScaleStep,
  type Strategy,
} from './rollout-step.js';
