import type { BerthEvent, InvolvedObject, StoredEvent } from './berth-event.js';
import type { EventFilter, EventStore } from './event-store.js';

/** An EventStore in memory (uncapped): what controller unit tests run against. */
export class MemoryEventStore implements EventStore {
  private readonly events: StoredEvent[] = [];

  async record(event: BerthEvent): Promise<StoredEvent> {
    const stored = {
      ...event,
      time: event.time ?? new Date().toISOString(),
      id: `${this.events.length + 1}-0`,
    };
    this.events.push(stored);
    return stored;
  }

  async forObject(object: InvolvedObject, limit = 20): Promise<StoredEvent[]> {
    return this.newest(
      (e) =>
        e.object.kind === object.kind &&
        e.object.namespace === object.namespace &&
        e.object.name === object.name,
      limit,
    );
  }

  async recent(filter: EventFilter = {}): Promise<StoredEvent[]> {
    return this.newest(
      (e) =>
        (filter.source === undefined || e.source === filter.source) &&
        (filter.namespace === undefined || e.object.namespace === filter.namespace),
      filter.limit ?? 50,
    );
  }

  private newest(match: (e: StoredEvent) => boolean, limit: number): StoredEvent[] {
    return this.events.filter(match).reverse().slice(0, limit);
  }
}
