import type { Controller } from './controller.js';
import { reconcileCronJob } from './cronjob-controller.js';
import { reconcileDaemonSet } from './daemonset-controller.js';
import { reconcileDeployment } from './deployment-controller.js';
import { reconcileJob } from './job-controller.js';
import { reconcileNamespace } from './namespace-controller.js';
import { reconcilePersistentVolumeClaim } from './persistentvolumeclaim-controller.js';
import { reconcileReplicaSet } from './replicaset-controller.js';
import { reconcileService } from './service-controller.js';
import { reconcileStatefulSet } from './statefulset-controller.js';

/**
 * The controller of each kind reconciled on the reconcile queue, by any worker process. A kind
 * without one (ConfigMap, Secret, ControllerRevision) needs no work of its own: the workloads
 * that use it read it.
 */
export const CONTROLLERS: Readonly<Record<string, Controller>> = {
  CronJob: reconcileCronJob,
  DaemonSet: reconcileDaemonSet,
  Deployment: reconcileDeployment,
  Job: reconcileJob,
  Namespace: reconcileNamespace,
  PersistentVolumeClaim: reconcilePersistentVolumeClaim,
  ReplicaSet: reconcileReplicaSet,
  Service: reconcileService,
  StatefulSet: reconcileStatefulSet,
};

/**
 * Kinds whose work is on the host itself, reconciled on the node queue by the one process per
 * host that runs the node role: a key of these kinds given to `enqueue` goes there.
 */
export const NODE_KINDS: ReadonlySet<string> = new Set(['Pod', 'Ingress']);
