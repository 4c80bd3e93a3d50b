export type { BerthEvent, InvolvedObject, StoredEvent } from './berth-event.js';
export { EventStore, type EventStoreOptions } from './event-store.js';
export {
  type HistoryEntry,
  type HistoryRecord,
  HistoryStore,
  type HistoryTrigger,
  revertedCommits,
} from './history-store.js';
export { type Inventory, type InventoryEntry, InventoryStore } from './inventory-store.js';
export { connectRedis, redactUrl } from './redis-client.js';
export { WebhookDeliveries, type WebhookDeliveriesOptions } from './webhook-deliveries.js';
