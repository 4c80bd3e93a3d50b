import type { Redis } from 'ioredis';
import type { BerthEvent, InvolvedObject, StoredEvent } from './berth-event.js';
import type { EventFilter, EventStore } from './event-store.js';

/** Options of {@link RedisEventStore}. */
export interface RedisEventStoreOptions {
  /** Events kept in all, oldest dropped first (approximately: Redis trims in whole nodes). Default 10,000. */
  maxEvents?: number;
  /** Events kept per object, for `berth describe`. Default 50. */
  maxPerObject?: number;
  /** An object's own event list expires this long after its last event. Default 24 h. */
  objectTtlSeconds?: number;
}

/**
 * Events in Redis, capped: one stream of every event (newest kept, `MAXLEN ~`), and a short
 * stream per object that expires when the object falls quiet, so `describe` reads only its own.
 */
export class RedisEventStore implements EventStore {
  private readonly maxEvents: number;
  private readonly maxPerObject: number;
  private readonly objectTtlSeconds: number;

  constructor(
    private readonly redis: Redis,
    /** Prefix of every key (BerthConfig `redis.keyPrefix`). */
    private readonly prefix: string,
    options: RedisEventStoreOptions = {},
  ) {
    this.maxEvents = options.maxEvents ?? 10_000;
    this.maxPerObject = options.maxPerObject ?? 50;
    this.objectTtlSeconds = options.objectTtlSeconds ?? 86_400;
  }

  async record(event: BerthEvent): Promise<StoredEvent> {
    const stored = { ...event, time: event.time ?? new Date().toISOString() };
    const json = JSON.stringify(stored);
    const objectKey = this.objectKey(event.object);
    const results = await this.redis
      .multi()
      .xadd(this.allKey(), 'MAXLEN', '~', this.maxEvents, '*', 'e', json)
      .xadd(objectKey, 'MAXLEN', '~', this.maxPerObject, '*', 'e', json)
      .expire(objectKey, this.objectTtlSeconds)
      .exec();
    const id = results?.[0]?.[1];
    return { ...stored, id: String(id) };
  }

  async forObject(object: InvolvedObject, limit = 20): Promise<StoredEvent[]> {
    return this.read(this.objectKey(object), limit, () => true);
  }

  /** Filters read at most `scan` events back (default 2,000). */
  async recent(filter: EventFilter = {}): Promise<StoredEvent[]> {
    const match = (e: StoredEvent) =>
      (filter.source === undefined || e.source === filter.source) &&
      (filter.namespace === undefined || e.object.namespace === filter.namespace);
    return this.read(this.allKey(), filter.limit ?? 50, match, filter.scan ?? 2_000);
  }

  private async read(
    key: string,
    limit: number,
    match: (e: StoredEvent) => boolean,
    scan = limit,
  ): Promise<StoredEvent[]> {
    const entries = await this.redis.xrevrange(key, '+', '-', 'COUNT', Math.max(scan, limit));
    const events: StoredEvent[] = [];
    for (const [id, fields] of entries) {
      const event = { ...(JSON.parse(fields[1] as string) as StoredEvent), id };
      if (match(event)) events.push(event);
      if (events.length >= limit) break;
    }
    return events;
  }

  private allKey(): string {
    return `${this.prefix}:events`;
  }

  private objectKey(o: InvolvedObject): string {
    return `${this.prefix}:events:${o.kind}/${o.namespace}/${o.name}`;
  }
}
