import type { Redis } from 'ioredis';
import type { BerthEvent, InvolvedObject, StoredEvent } from './berth-event.js';

/** Options of {@link EventStore}. */
export interface EventStoreOptions {
  /** Prefix of every key (BerthConfig `redis.keyPrefix`). */
  prefix: string;
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
export class EventStore {
  private readonly prefix: string;
  private readonly maxEvents: number;
  private readonly maxPerObject: number;
  private readonly objectTtlSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: EventStoreOptions,
  ) {
    this.prefix = options.prefix;
    this.maxEvents = options.maxEvents ?? 10_000;
    this.maxPerObject = options.maxPerObject ?? 50;
    this.objectTtlSeconds = options.objectTtlSeconds ?? 86_400;
  }

  /** Records an event; returns it as stored. */
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

  /** The newest events of one object, newest first. */
  async forObject(object: InvolvedObject, limit = 20): Promise<StoredEvent[]> {
    return this.read(this.objectKey(object), limit, () => true);
  }

  /**
   * The newest events, newest first, optionally of one source only or one namespace only.
   * Filters read at most `scan` events back (default 2,000).
   */
  async recent(
    filter: { source?: string; namespace?: string; limit?: number; scan?: number } = {},
  ): Promise<StoredEvent[]> {
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
