export type { BerthEvent, InvolvedObject, StoredEvent } from './berth-event.js';
export { EventStore, type EventStoreOptions } from './event-store.js';
export {
  type HistoryEntry,
  type HistoryRecord,
  HistoryStore,
  type HistoryTrigger,
  type RolloutHealth,
  revertedCommits,
} from './history-store.js';
export { type Inventory, type InventoryEntry, InventoryStore } from './inventory-store.js';
export {
  type ApplyResult,
  controllerOf,
  type ObjectInput,
  ObjectStore,
  type OwnerReference,
  REVISION_ANNOTATION,
  SOURCE_ANNOTATION,
  type StoredMetadata,
  type StoredObject,
  storeKey,
} from './object-store.js';
export { connectRedis, redactUrl } from './redis-client.js';
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
export { WebhookDeliveries, type WebhookDeliveriesOptions } from './webhook-deliveries.js';
