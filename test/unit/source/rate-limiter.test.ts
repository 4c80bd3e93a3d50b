import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/api/index.js';

describe('RateLimiter', () => {
  it('allows a burst per key, then refills at the configured rate', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 2, perMinute: 6, now: () => now });
    expect([limiter.take('a'), limiter.take('a')]).toEqual([0, 0]);
    expect(limiter.take('a')).toBe(10_000);
    expect(limiter.take('b')).toBe(0);
    now = 10_000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(10_000);
    now = 1_000_000;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a') > 0]).toEqual([0, 0, true]);
  });

  it('stays bounded: refilled buckets are forgotten first, then the least recently used', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 2, perMinute: 60, maxKeys: 3, now: () => now });
    for (const key of ['a', 'b', 'c']) limiter.take(key);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    // A fourth client: nothing has refilled, so the least recently used (b) goes.
    limiter.take('d');
    expect(limiter.size).toBe(3);
    expect(limiter.take('a')).toBeGreaterThan(0);
    // 10,000 addresses later it still holds at most maxKeys.
    for (let i = 0; i < 10_000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(3);
    // Once refilled, a bucket is the same as none: forgotten before a busy one.
    now = 60_000;
    const busy = new RateLimiter({ burst: 1, perMinute: 1, maxKeys: 2, now: () => now });
    busy.take('busy');
    now += 1;
    busy.take('idle');
    now += 120_000;
    busy.take('busy');
    busy.take('new');
    expect(busy.take('busy')).toBeGreaterThan(0);
    expect(busy.size).toBe(2);
  });
});
