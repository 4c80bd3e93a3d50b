// Controllers: one per kind, each a level-triggered reconcile of one object key against the
// object store; the node runs the pods they ask for.

export { setCondition, type TimedCondition, transitionTime } from './conditions.js';
export {
  type Controller,
  type ControllerContext,
  type ControllerDeps,
  type ControllerQueue,
  type NodeServices,
  nodeServices,
  type ObjectRequest,
  recordEvent,
} from './controller.js';
export { cronJobController, SCHEDULED_TIMESTAMP } from './cronjob-controller.js';
export { daemonSetController, POD_TEMPLATE_GENERATION } from './daemonset-controller.js';
export { deploymentController, POD_TEMPLATE_HASH, REVISION } from './deployment-controller.js';
export { endpointSubsets, selectorMatches } from './endpoint-subsets.js';
export {
  type IngressProxyTarget,
  IngressRoutes,
  ingressController,
  serviceIngressController,
} from './ingress-controller.js';
export {
  JOB_COMPLETION_INDEX,
  JOB_CONTROLLER_UID,
  JOB_NAME,
  jobController,
} from './job-controller.js';
export { namespaceController } from './namespace-controller.js';
export { type ObjectReconcilerOptions, objectReconciler } from './object-reconciler.js';
export {
  controllerRef,
  deleteChildren,
  generateName,
  inheritedAnnotations,
  podReady,
  readySince,
} from './owned.js';
export { persistentVolumeClaimController } from './persistentvolumeclaim-controller.js';
export { podActive, podFacts, podMayRun } from './pod-facts.js';
export { podNodeController, toPod } from './pod-node-controller.js';
export {
  PodStatusWriter,
  type PodStatusWriterOptions,
  stampConditions,
} from './pod-status-writer.js';
export { CONTROLLERS, controllersOf, queueOf } from './registry.js';
export { type ReplicaSetStatus, replicaSetController } from './replicaset-controller.js';
export { serviceController } from './service-controller.js';
export { serviceProxyController } from './service-proxy-controller.js';
export { servicesSelecting } from './services-selecting.js';
export {
  CONTROLLER_REVISION_HASH,
  POD_INDEX,
  STATEFULSET_POD_NAME,
  statefulSetController,
} from './statefulset-controller.js';
