import type { HostNetworkSync } from '../network/index.js';
import type { ServiceAddressing } from '../network/services/index.js';
import type { NodeAgent, Pod } from '../node/index.js';
import type { ReconcileContext, Result } from '../queue/index.js';
import {
  type BerthEvent,
  type EventStore,
  type ObjectStore,
  REVISION_ANNOTATION,
  SOURCE_ANNOTATION,
  type StoredObject,
  type StoredOf,
} from '../store/index.js';
import type { Logger } from '../util/logger.js';
import type { PodStatusWriter } from './pod-status-writer.js';

/**
 * The queue a controller consumes: `reconcile` (any worker process) or `node` (the one process
 * per host that runs pods, proxies and ingress).
 */
export type ControllerQueue = 'reconcile' | 'node';

/** What every controller reads and writes: the object store, events, the queues, the clock. */
export interface ControllerDeps {
  store: ObjectStore;
  events: EventStore;
  /**
   * Asks for an object key to be reconciled by its controllers: routed by the registry
   * ({@link queueOf}); a kind without a controller has nothing to do and makes no job.
   */
  enqueue(key: string): Promise<void>;
  /**
   * Asks the node role to look at a key with its node controllers: how a Service controller
   * tells the host's proxy that the Service or its endpoints changed.
   */
  enqueueNode(key: string): Promise<void>;
  /** ClusterIP and NodePort allocators (serviceAddressingFromConfig): needed by the Service controller. */
  services?: ServiceAddressing;
  /** What the node controllers drive on this host; only the node role has it. */
  node?: NodeServices;
  /** The clock; tests may pin it. */
  now(): Date;
  logger: Logger;
}

/** What a reconcile is given besides the object: the deps of this process and the attempt. */
export interface ControllerContext extends ControllerDeps, ReconcileContext {}

/** The object a reconcile is about, parsed from its key (controller-runtime's `Request`). */
export interface ObjectRequest {
  /** `Kind/namespace/name`. */
  key: string;
  kind: string;
  /** `''` for cluster-scoped kinds. */
  namespace: string;
  name: string;
}

/**
 * The one contract of every controller (controller-runtime's `Reconciler`, fed by its
 * `ObjectReconciler`): one per kind and queue, level-triggered and idempotent. The object
 * reconciler reads the object once and hands it over, `undefined` when it is gone (its
 * children are then already deleted: see objectReconciler). Throwing retries with backoff; a
 * TerminalError does not retry; `requeueAfterMs` asks for another look.
 */
export interface Controller<K extends string = string> {
  /** The kind whose keys this controller reconciles. */
  readonly kind: K;
  /** The queue its keys are reconciled on. */
  readonly queue: ControllerQueue;
  reconcile(
    ctx: ControllerContext,
    request: ObjectRequest,
    // Typed by kind (StoredOf): the object reconciler's one read is the conversion.
    object: StoredOf<K> | undefined,
    // biome-ignore lint/suspicious/noConfusingVoidType: a controller with nothing to requeue returns nothing
  ): Promise<Result | void>;
}

/** Records an event about a stored object, with its source and revision from its annotations. */
export async function recordEvent(
  deps: ControllerDeps,
  object: StoredObject,
  type: BerthEvent['type'],
  reason: string,
  message: string,
): Promise<void> {
  const annotations = object.metadata.annotations ?? {};
  const source = annotations[SOURCE_ANNOTATION];
  const revision = annotations[REVISION_ANNOTATION];
  await deps.events.record({
    type,
    reason,
    object: {
      kind: object.kind,
      namespace: object.metadata.namespace ?? '',
      name: object.metadata.name,
    },
    message,
    ...(source ? { source } : {}),
    ...(revision ? { revision } : {}),
  });
}

/**
 * What the node controllers drive on this host, built once by the node role and given to them
 * as `deps.node`: the agent that runs pods, the writer of their statuses, the host's Service
 * proxy and DNS, and the Ingress proxy's routes.
 */
export interface NodeServices {
  agent: Pick<NodeAgent, 'podNamed' | 'killPod' | 'syncPod' | 'terminatePod'>;
  writer: PodStatusWriter;
  /** Called with a pod that was killed (its Services drop the endpoint). */
  podGone(pod: Pod): Promise<void>;
  /** The host's Service proxy rules, DNS records and forwarded ports (HostNetwork). */
  serviceProxy: { sync(store: ObjectStore): Promise<HostNetworkSync> };
  /** The Ingress proxy's routes (IngressRoutes). */
  ingress: { rebuild(deps: ControllerDeps): Promise<void> };
}

/** The node services of a reconcile on the node queue; throws when this process has none. */
export function nodeServices(deps: ControllerDeps): NodeServices {
  if (!deps.node) throw new Error('a node controller ran in a process without the node role');
  return deps.node;
}
