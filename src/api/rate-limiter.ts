/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Requests accepted at once from a full bucket. Default 20. */
  burst?: number;
  /** Requests per minute the bucket refills with. Default 60. */
  perMinute?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** Keys remembered at most (clients, sources). Default 10,000. */
  maxKeys?: number;
}

/**
 * A token bucket per key (a source name, a client address), in memory: a request takes a token
 * or is refused. Bounded: past `maxKeys`, the buckets that have refilled (the same as no
 * bucket) are forgotten, then the least recently used ones, so clients that come from many
 * addresses cannot grow it without end; a forgotten key starts again with a full bucket.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;
  private readonly perMs: number;
  private readonly now: () => number;
  private readonly maxKeys: number;

  constructor(options: RateLimiterOptions = {}) {
    this.burst = options.burst ?? 20;
    this.perMs = (options.perMinute ?? 60) / 60_000;
    this.now = options.now ?? Date.now;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  /** How many keys are remembered. */
  get size(): number {
    return this.buckets.size;
  }

  /** Takes a token for `key`: `0` when allowed, else the milliseconds until one is available. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    const wait = bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / this.perMs);
    if (wait === 0) bucket.tokens -= 1;
    // Re-inserted, so the map's order is least recently used first.
    this.buckets.delete(key);
    if (this.buckets.size >= this.maxKeys) this.forget(now);
    this.buckets.set(key, bucket);
    return wait;
  }

  /** Makes room for one more key: forgets refilled buckets, then the least recently used. */
  private forget(now: number): void {
    for (const [key, b] of this.buckets)
      if (b.tokens + (now - b.at) * this.perMs >= this.burst) this.buckets.delete(key);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size < this.maxKeys) break;
      this.buckets.delete(key);
    }
  }
}
