import type { Redis } from 'ioredis';
import type { EventStore } from './event-store.js';
import { HistoryStore } from './history-store.js';
import { InventoryStore } from './inventory-store.js';
import type { ObjectStore } from './object-store.js';
import { RedisEventStore } from './redis-event-store.js';
import { RedisObjectStore } from './redis-object-store.js';
import { RevisionObjects } from './revision-objects.js';
import { SourceStateStore } from './source-state-store.js';
import { WebhookDeliveries } from './webhook-deliveries.js';

/** Every store of Berth over one Redis connection and key prefix: built once per process. */
export interface Stores {
  /** The objects and their statuses (the API server's storage). */
  objects: ObjectStore;
  events: EventStore;
  /** Per source, the revisions handled and their outcome (`berth history`). */
  history: HistoryStore;
  /** Per source, what its applied revision put in the store (prune = old − new). */
  inventory: InventoryStore;
  /** Per source, its target, sync and health state (`berth status`). */
  sources: SourceStateStore;
  /** The validated objects of a revision, handed from the validating process to the sync job. */
  revisions: RevisionObjects;
  /** Webhook delivery IDs already accepted (the replay guard). */
  deliveries: WebhookDeliveries;
}

/** Builds every store over `redis` with the key prefix `prefix` (BerthConfig `redis.keyPrefix`). */
export function createStores(redis: Redis, prefix: string): Stores {
  return {
    objects: new RedisObjectStore(redis, prefix),
    events: new RedisEventStore(redis, prefix),
    history: new HistoryStore(redis, prefix),
    inventory: new InventoryStore(redis, prefix),
    sources: new SourceStateStore(redis, prefix),
    revisions: new RevisionObjects(redis, prefix),
    deliveries: new WebhookDeliveries(redis, prefix),
  };
}
