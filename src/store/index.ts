// The stores: small interfaces (ObjectStore, EventStore) with a Redis implementation each and an
// in-memory one for unit tests, and createStores, which builds every store of a process once.

export { asKind, ofKind } from './as-kind.js';
export type { BerthEvent, InvolvedObject, StoredEvent } from './berth-event.js';
export { createStores, type Stores } from './create-stores.js';
export type { EventFilter, EventStore } from './event-store.js';
export {
  DEFAULT_GRACE_PERIOD_SECONDS,
  gracefulDeletion,
  isTerminating,
} from './graceful-deletion.js';
export {
  type HistoryEntry,
  type HistoryRecord,
  HistoryStore,
  type HistoryTrigger,
  type RolloutHealth,
  revertedCommits,
} from './history-store.js';
export { ImageUpdateStore } from './image-update-store.js';
export { type Inventory, type InventoryEntry, InventoryStore } from './inventory-store.js';
export { MemoryEventStore } from './memory-event-store.js';
export { MemoryObjectStore } from './memory-object-store.js';
export {
  type ApplyResult,
  controllerOf,
  type DeleteOptions,
  type ObjectInput,
  type ObjectStore,
  type OwnerReference,
  REVISION_ANNOTATION,
  SOURCE_ANNOTATION,
  type Stored,
  type StoredMetadata,
  type StoredObject,
  type StoredOf,
  storeKey,
} from './object-store.js';
export { connectRedis, redactUrl } from './redis-client.js';
export { RedisEventStore, type RedisEventStoreOptions } from './redis-event-store.js';
export { RedisObjectStore } from './redis-object-store.js';
export { RevisionObjects } from './revision-objects.js';
export {
  KEY_FILE,
  loadEncryptionKey,
  openSecret,
  SEALED_FIELD,
  SecretCodec,
  sealSecret,
  secretCodec,
  useSecretCodec,
} from './secret-codec.js';
export {
  type SourceSettings,
  type SourceState,
  SourceStateStore,
  type SyncPhase,
} from './source-state-store.js';
export { WebhookDeliveries, type WebhookDeliveriesOptions } from './webhook-deliveries.js';
