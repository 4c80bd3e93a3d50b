import type { Controller, ControllerQueue } from './controller.js';
import { cronJobController } from './cronjob-controller.js';
import { daemonSetController } from './daemonset-controller.js';
import { deploymentController } from './deployment-controller.js';
import { ingressController, serviceIngressController } from './ingress-controller.js';
import { jobController } from './job-controller.js';
import { namespaceController } from './namespace-controller.js';
import { persistentVolumeClaimController } from './persistentvolumeclaim-controller.js';
import { podNodeController } from './pod-node-controller.js';
import { replicaSetController } from './replicaset-controller.js';
import { serviceController } from './service-controller.js';
import { serviceProxyController } from './service-proxy-controller.js';
import { statefulSetController } from './statefulset-controller.js';

/**
 * Every controller of Berth, the one list: the reconcile queue's (any worker process) and the
 * node queue's (the one process per host that runs the node role). Routing follows from it
 * ({@link queueOf}). Controllers of one kind on one queue run in this order. A kind without a
 * controller (ConfigMap, Secret, ControllerRevision, Endpoints) needs no work of its own: the
 * objects that use it read it.
 */
export const CONTROLLERS: readonly Controller[] = [
  cronJobController,
  daemonSetController,
  deploymentController,
  jobController,
  namespaceController,
  persistentVolumeClaimController,
  replicaSetController,
  serviceController,
  statefulSetController,
  // The node queue: the host's pods, then its Service proxy and DNS, then its Ingress routes.
  podNodeController,
  serviceProxyController,
  serviceIngressController,
  ingressController,
];

/** The controllers of one queue, by kind, in registry order. */
export function controllersOf(
  queue: ControllerQueue,
  controllers: readonly Controller[] = CONTROLLERS,
): ReadonlyMap<string, readonly Controller[]> {
  const byKind = new Map<string, Controller[]>();
  for (const c of controllers) {
    if (c.queue !== queue) continue;
    const list = byKind.get(c.kind) ?? [];
    list.push(c);
    byKind.set(c.kind, list);
  }
  return byKind;
}

const RECONCILE = controllersOf('reconcile');
const NODE = controllersOf('node');

/**
 * The queue `enqueue(key)` sends a key of this kind to: `reconcile` when the kind has a
 * controller there, else `node` when it has one there (Pod, Ingress), else none (nothing to do).
 * A Service reaches its node controllers through `enqueueNode`.
 */
export function queueOf(kind: string): ControllerQueue | undefined {
  if (RECONCILE.has(kind)) return 'reconcile';
  if (NODE.has(kind)) return 'node';
  return undefined;
}
