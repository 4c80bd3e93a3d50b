import type { Controller } from './controller.js';
import { reconcileDeployment } from './deployment-controller.js';
import { reconcileReplicaSet } from './replicaset-controller.js';
import { reconcileService } from './service-controller.js';

/**
 * The controller of each kind reconciled on the reconcile queue, by any worker process. A kind
 * without one (ConfigMap, Secret) needs no work of its own: the workloads that use it read it.
 */
export const CONTROLLERS: Readonly<Record<string, Controller>> = {
  Deployment: reconcileDeployment,
  ReplicaSet: reconcileReplicaSet,
  Service: reconcileService,
};

/**
 * Kinds whose work is on the host itself, reconciled on the node queue by the one process per
 * host that runs the node role: a key of these kinds given to `enqueue` goes there.
 */
export const NODE_KINDS: ReadonlySet<string> = new Set(['Pod', 'Ingress']);
