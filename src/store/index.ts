export type { BerthEvent, InvolvedObject, StoredEvent } from './berth-event.js';
export { EventStore, type EventStoreOptions } from './event-store.js';
export { connectRedis, redactUrl } from './redis-client.js';
