import { setTimeout as sleep } from 'node:timers/promises';
import { WorkQueue, type WorkQueueOptions } from '../../../src/queue/index.js';
import { REDIS_URL } from '../../harness/redis.js';

/** Opens a work queue under a test file's prefix; short timings so tests stay quick. */
export function openQueue(
  prefix: string,
  name: string,
  overrides: Partial<WorkQueueOptions> = {},
): Promise<WorkQueue> {
  return WorkQueue.open({
    name,
    redisUrl: REDIS_URL,
    keyPrefix: prefix,
    backoffBaseMs: 50,
    backoffCapMs: 400,
    backoffJitter: 0,
    lockDurationMs: 2000,
    stalledIntervalMs: 500,
    shutdownTimeoutMs: 5000,
    ...overrides,
  });
}

/** Polls `check` until it returns true; throws with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Resolves when the queue holds no job in any unfinished state. */
export function waitForIdle(queue: WorkQueue, timeoutMs = 20_000): Promise<void> {
  return waitFor(
    'the queue to drain',
    async () => {
      const c = await queue.counts();
      return c.waiting + c.active + c.delayed === 0;
    },
    timeoutMs,
  );
}

/** A promise with its resolve function: lets a test hold a reconcile open. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Counts calls per key. */
export class CallCounter {
  private readonly counts = new Map<string, number>();
  hit(key: string): number {
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n;
  }
  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }
  total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
}
