import type { Redis } from 'ioredis';
import type { StoredEvent } from '../store/index.js';

/** What the live feed sends: a new event, or "the sources' states changed". */
export type LiveMessage = { type: 'event'; event: StoredEvent } | { type: 'sources' };

/** Options of {@link LiveFeed}. */
export interface LiveFeedOptions {
  redis: Redis;
  /** The stream every event is added to (EventStore's `<prefix>:events`). */
  eventsKey: string;
  /** A text that changes when the sources' states change. */
  fingerprint: () => Promise<string>;
  /** Poll period while someone listens, ms. */
  intervalMs: number;
}

/**
 * One poller for every listener (the dashboard's Server-Sent Events): while anyone listens it
 * reads, every `intervalMs`, the events added since its last look and the sources' fingerprint,
 * and tells every listener. Nobody listening: no polling.
 */
export class LiveFeed {
  private readonly listeners = new Set<(m: LiveMessage) => void>();
  private timer: NodeJS.Timeout | undefined;
  private lastId = '$';
  private lastPrint: string | undefined;
  private polling = false;

  constructor(private readonly options: LiveFeedOptions) {}

  subscribe(listener: (m: LiveMessage) => void): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.lastId = '$';
      this.lastPrint = undefined;
      this.timer = setInterval(() => void this.poll(), this.options.intervalMs);
      this.timer.unref();
      void this.poll();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Stops polling and forgets every listener. */
  close(): void {
    this.listeners.clear();
    this.stop();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const { redis, eventsKey } = this.options;
      if (this.lastId === '$') {
        const newest = await redis.xrevrange(eventsKey, '+', '-', 'COUNT', 1);
        this.lastId = newest[0]?.[0] ?? '0-0';
      } else {
        const entries = await redis.xrange(eventsKey, `(${this.lastId}`, '+', 'COUNT', 200);
        for (const [id, fields] of entries) {
          this.lastId = id;
          const event = { ...(JSON.parse(fields[1] as string) as StoredEvent), id };
          this.emit({ type: 'event', event });
        }
      }
      const print = await this.options.fingerprint();
      if (this.lastPrint !== undefined && print !== this.lastPrint) this.emit({ type: 'sources' });
      this.lastPrint = print;
    } catch {
      // Redis unavailable: the next tick tries again.
    } finally {
      this.polling = false;
    }
  }

  private emit(message: LiveMessage): void {
    for (const l of this.listeners) l(message);
  }
}
