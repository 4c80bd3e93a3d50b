// The node layer: pods on this Docker host, as the kubelet runs them. Controllers use NodeAgent.
export { pullPolicy } from './image.js';
export { listPods } from './list-pods.js';
export { containerName, isPreviousName, NODE_LABELS, previousName, SANDBOX } from './names.js';
export { type KillPodOptions, NodeAgent } from './node-agent.js';
export { NodeError } from './node-error.js';
export {
  type CompiledNodeOptions,
  compileNodeOptions,
  hostCredentials,
  type NodeOptions,
  nodeOptionsFromConfig,
  type ObjectLookup,
  type PodEvent,
} from './node-options.js';
export type * from './pod-spec.js';
export { computePodStatus } from './pod-status.js';
export { podPullSecrets } from './pull-secrets.js';
export { SCHEDULING_ONLY_FIELDS, schedulingWarnings } from './scheduling-warnings.js';
export { NodeStoppingError } from './start-gate.js';
export { claimVolumeName } from './volumes.js';
