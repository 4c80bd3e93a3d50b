import type { ServiceAddressing } from '../network/services/index.js';
import type { ReconcileContext, Result } from '../queue/index.js';
import {
  type BerthEvent,
  type EventStore,
  type ObjectStore,
  REVISION_ANNOTATION,
  SOURCE_ANNOTATION,
  type StoredObject,
} from '../store/index.js';
import type { Logger } from '../util/logger.js';

/** What every controller reads and writes: the object store, events, the queues, the clock. */
export interface ControllerDeps {
  store: ObjectStore;
  events: EventStore;
  /**
   * Asks for an object key to be reconciled by its controller: keys of the kinds in
   * NODE_KINDS (Pod, Ingress) go to the node queue, every other to the reconcile queue.
   */
  enqueue(key: string): Promise<void>;
  /**
   * Asks the node role to look at a key with its node controller (NODE_CONTROLLERS): how a
   * Service controller tells the host's proxy that the Service or its endpoints changed.
   */
  enqueueNode(key: string): Promise<void>;
  /** ClusterIP and NodePort allocators (serviceAddressingFromConfig): needed by the Service controller. */
  services?: ServiceAddressing;
  /** The clock; tests may pin it. */
  now(): Date;
  logger: Logger;
}

/** An object key, parsed: what a controller is called with. */
export interface ControllerKey {
  /** `Kind/namespace/name`. */
  key: string;
  kind: string;
  /** `''` for cluster-scoped kinds. */
  namespace: string;
  name: string;
}

/**
 * One controller per kind, controller-runtime's contract: level-triggered and idempotent, given
 * the key only, it reads what it needs from the store and makes the world match; throwing
 * retries with backoff; `requeueAfterMs` asks for another look.
 */
export type Controller = (
  deps: ControllerDeps,
  ctx: ReconcileContext,
  key: ControllerKey,
  // biome-ignore lint/suspicious/noConfusingVoidType: a controller with nothing to requeue returns nothing
) => Promise<Result | void>;

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
