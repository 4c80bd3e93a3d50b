import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  compileWorkQueueOptions,
  QueueOptionError,
  WORK_QUEUE_DEFAULTS,
} from '../../../src/queue/index.js';

const BASE = { name: 'reconcile', redisUrl: 'redis://127.0.0.1:6379', keyPrefix: 'berth:x' };

describe('compileWorkQueueOptions', () => {
  it('applies the documented defaults', () => {
    const o = compileWorkQueueOptions(BASE);
    expect(o).toMatchObject({
      ...BASE,
      concurrency: 4,
      backoffBaseMs: 1000,
      backoffCapMs: 300_000,
      backoffJitter: 0.1,
      maxAttempts: Number.POSITIVE_INFINITY,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      maxStalledCount: 3,
      shutdownTimeoutMs: 30_000,
    });
    expect(o).toMatchObject(WORK_QUEUE_DEFAULTS);
  });

  it('keeps given values and ignores undefined ones', () => {
    const o = compileWorkQueueOptions({ ...BASE, concurrency: 16, backoffCapMs: undefined });
    expect(o.concurrency).toBe(16);
    expect(o.backoffCapMs).toBe(300_000);
  });

  it.each([
    [{ concurrency: 0 }, 'concurrency'],
    [{ concurrency: 1.5 }, 'concurrency'],
    [{ backoffBaseMs: 0 }, 'backoffBaseMs'],
    [{ backoffBaseMs: 5000, backoffCapMs: 1000 }, 'backoffCapMs'],
    [{ backoffJitter: 1 }, 'backoffJitter'],
    [{ backoffJitter: -0.1 }, 'backoffJitter'],
    [{ maxAttempts: 0 }, 'maxAttempts'],
    [{ lockDurationMs: 10 }, 'lockDurationMs'],
    [{ stalledIntervalMs: Number.NaN }, 'stalledIntervalMs'],
    [{ shutdownTimeoutMs: -1 }, 'shutdownTimeoutMs'],
    [{ name: 'Reconcile' }, 'name'],
    [{ keyPrefix: 'berth:' }, 'keyPrefix'],
  ])('rejects %j with an error naming %s', (bad, option) => {
    let caught: unknown;
    try {
      compileWorkQueueOptions({ ...BASE, ...bad });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(QueueOptionError);
    expect((caught as QueueOptionError).code).toBe('InvalidQueueOption');
    expect((caught as QueueOptionError).data.option).toBe(option);
    expect((caught as QueueOptionError).message).toContain(`queue option ${option}`);
  });
});

describe('backoffDelayMs', () => {
  const settings = { backoffBaseMs: 1000, backoffCapMs: 300_000, backoffJitter: 0 };
  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [9, 256_000],
    [10, 300_000],
    [1000, 300_000],
  ])('after %i failures waits %i ms (no jitter)', (failures, expected) => {
    expect(backoffDelayMs(failures, settings)).toBe(expected);
  });

  it('shortens by at most the jitter fraction', () => {
    const jittered = { ...settings, backoffJitter: 0.1 };
    expect(backoffDelayMs(3, jittered, () => 0)).toBe(4000);
    expect(backoffDelayMs(3, jittered, () => 0.999999)).toBe(3600);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelayMs(20, jittered);
      expect(d).toBeGreaterThanOrEqual(270_000);
      expect(d).toBeLessThanOrEqual(300_000);
    }
  });
});
