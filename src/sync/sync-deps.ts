import type { AggregateHealth } from '../health/index.js';
import type {
  BerthEvent,
  InventoryStore,
  ObjectStore,
  RevisionObjects,
  SourceState,
  SourceStateStore,
} from '../store/index.js';
import type { Logger } from '../util/logger.js';

/** What the sync of a revision reads and writes. */
export interface SyncDeps {
  store: ObjectStore;
  inventory: InventoryStore;
  states: SourceStateStore;
  revisions: RevisionObjects;
  /** Records an event (and notifies). */
  record(event: BerthEvent): Promise<void>;
  /** Enqueues an object key for its controller. */
  enqueue(key: string): Promise<void>;
  /** Called once per applied revision when its rollout settles Healthy or Degraded. */
  onSettled?(state: SourceState, revision: string, health: AggregateHealth): Promise<void>;
  now(): Date;
  logger: Logger;
  /** How often a settled source is looked at again (health, and every object re-enqueued). Default 30 s. */
  resyncMs?: number;
  /**
   * How often a rollout in progress is looked at. Default 500 ms; at least 4× the last look's
   * duration, so a large source's looks take at most a fifth of the time.
   */
  progressMs?: number;
}
