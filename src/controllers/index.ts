// Controllers: one per kind, each a level-triggered reconcile of one object key against the
// object store; the node runs the pods they ask for.
export {
  CONFIG_HASH_ANNOTATION,
  type ConfigLookup,
  configHash,
  configReferences,
  withConfigHash,
} from './config-references.js';
export {
  type Controller,
  type ControllerDeps,
  type ControllerKey,
  recordEvent,
} from './controller.js';
export { reconcileCronJob, SCHEDULED_TIMESTAMP } from './cronjob-controller.js';
export { POD_TEMPLATE_GENERATION, reconcileDaemonSet } from './daemonset-controller.js';
export { POD_TEMPLATE_HASH, REVISION, reconcileDeployment } from './deployment-controller.js';
export { endpointSubsets, selectorMatches } from './endpoint-subsets.js';
export { type IngressProxyTarget, makeIngressController } from './ingress-controller.js';
export {
  JOB_COMPLETION_INDEX,
  JOB_CONTROLLER_UID,
  JOB_NAME,
  reconcileJob,
} from './job-controller.js';
export { reconcileNamespace } from './namespace-controller.js';
export { objectReconciler } from './object-reconciler.js';
export {
  controllerRef,
  deleteChildren,
  generateName,
  inheritedAnnotations,
  podReady,
  readySince,
} from './owned.js';
export { reconcilePersistentVolumeClaim } from './persistentvolumeclaim-controller.js';
export { makePodNodeController, toPod } from './pod-node-controller.js';
export {
  PodStatusWriter,
  type PodStatusWriterOptions,
  stampConditions,
} from './pod-status-writer.js';
export { CONTROLLERS, NODE_KINDS } from './registry.js';
export { type ReplicaSetStatus, reconcileReplicaSet } from './replicaset-controller.js';
export { reconcileService } from './service-controller.js';
export { serviceProxyController } from './service-proxy-controller.js';
export { servicesSelecting } from './services-selecting.js';
export {
  CONTROLLER_REVISION_HASH,
  POD_INDEX,
  reconcileStatefulSet,
  STATEFULSET_POD_NAME,
} from './statefulset-controller.js';
