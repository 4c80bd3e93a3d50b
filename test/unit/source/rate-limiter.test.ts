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
});
