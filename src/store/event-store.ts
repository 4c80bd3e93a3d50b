import type { BerthEvent, InvolvedObject, StoredEvent } from './berth-event.js';

/** Which of the newest events {@link EventStore.recent} returns. */
export interface EventFilter {
  /** Only the events of this source. */
  source?: string;
  /** Only the events of objects in this namespace. */
  namespace?: string;
  /** At most this many. Default 50. */
  limit?: number;
  /** Read at most this many events back when filtering. Default 2,000. */
  scan?: number;
}

/**
 * Events, capped, newest first: every event, and each object's own. RedisEventStore is the one
 * Berth runs on; MemoryEventStore serves unit tests.
 */
export interface EventStore {
  /** Records an event; returns it as stored (with its time and id). */
  record(event: BerthEvent): Promise<StoredEvent>;
  /** The newest events of one object, newest first. */
  forObject(object: InvolvedObject, limit?: number): Promise<StoredEvent[]>;
  /** The newest events, newest first, optionally of one source or one namespace only. */
  recent(filter?: EventFilter): Promise<StoredEvent[]>;
}
