import type { Logger } from '../util/logger.js';

/** What a reconcile receives besides its key. */
export interface ReconcileContext {
  /** The key being reconciled (also the second argument). */
  key: string;
  /** 1 for a first try, n for the (n-1)th retry after consecutive failures. */
  attempt: number;
  /** Aborted when the worker shuts down and its shutdown timeout has run out: stop early. */
  signal: AbortSignal;
  /** A logger bound to the queue and key. */
  log: Logger;
}

/** The outcome of a successful reconcile (controller-runtime's `Result`). */
export interface Result {
  /**
   * Reconcile this key again after this many milliseconds (polling a rollout, a deadline).
   * An enqueue of the key before then reconciles it at once instead.
   */
  requeueAfterMs?: number;
}

/**
 * What a WorkQueue worker calls with each key: the queue-level handler, not a controller
 * contract. Controllers implement `Controller` (controllers/controller.ts) and reach a queue
 * through `objectReconciler`; the sync and rollback queues have handlers of their own.
 * Throwing retries with capped exponential backoff; throwing a TerminalError records the key
 * as failed without retry.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: lets a reconciler with nothing to requeue return nothing
export type Reconciler = (ctx: ReconcileContext, key: string) => Promise<Result | void>;
