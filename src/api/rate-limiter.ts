/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Requests accepted at once from a full bucket. Default 20. */
  burst?: number;
  /** Requests per minute the bucket refills with. Default 60. */
  perMinute?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/** A token bucket per key (a source name), in memory: a request takes a token or is refused. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;
  private readonly perMs: number;
  private readonly now: () => number;

  constructor(options: RateLimiterOptions = {}) {
    this.burst = options.burst ?? 20;
    this.perMs = (options.perMinute ?? 60) / 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Takes a token for `key`: `0` when allowed, else the milliseconds until one is available. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perMs);
  }
}
