import { WorkQueue, type WorkQueueOptions } from '../../../src/queue/index.js';
import { eventually, WAIT } from '../../harness/eventually.js';
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

/** Resolves when the queue holds no job in any unfinished state. */
export function waitForIdle(queue: WorkQueue, timeoutMs: number = WAIT.timeoutMs): Promise<void> {
  return eventually(
    async () => {
      const c = await queue.counts();
      return c.waiting + c.active + c.delayed === 0;
    },
    { what: 'the queue to drain', timeout: timeoutMs },
  ).then(() => {});
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
