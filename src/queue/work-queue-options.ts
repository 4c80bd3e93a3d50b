import type { Logger } from '../util/logger.js';
import { QueueOptionError } from './queue-option-error.js';

/** Options of a {@link WorkQueue} and its workers. Every field but the first three has a default. */
export interface WorkQueueOptions {
  /** The queue's name under the prefix: `reconcile` for object keys, `sync` for revisions. */
  name: string;
  /** Redis URL (BerthConfig `redis.url`). */
  redisUrl: string;
  /** Prefix of every Redis key of the queue (BerthConfig `redis.keyPrefix`). */
  keyPrefix: string;
  /** Keys reconciled at once by one worker (one process). Default 4. */
  concurrency?: number;
  /** Delay before the first retry of a failed reconcile. Default 1000 ms. */
  backoffBaseMs?: number;
  /** The retry delay doubles per consecutive failure up to this cap. Default 300000 ms (5 min). */
  backoffCapMs?: number;
  /**
   * Random spread of each retry delay, as a fraction: 0.1 draws the delay from
   * [0.9 d, d] so that keys failing together do not retry together. Default 0.1; 0 disables.
   */
  backoffJitter?: number;
  /**
   * Consecutive failed attempts after which a key is recorded as failed and no longer retried
   * (a later enqueue starts it again). Default `Infinity`: retry at the cap forever, as
   * controller-runtime does.
   */
  maxAttempts?: number;
  /**
   * How long a worker's lock on a running reconcile lasts; the worker renews it every half.
   * A worker that dies (kill -9, lost host) holds its keys at most this long. Default 30000 ms.
   */
  lockDurationMs?: number;
  /**
   * How often each worker looks for reconciles whose worker died (lock expired) and puts them
   * back in the queue. Default 30000 ms.
   */
  stalledIntervalMs?: number;
  /**
   * Times a reconcile may be orphaned by a dying worker before it is recorded as failed (a key
   * that crashes its worker every time must not crash them all forever). Default 3.
   */
  maxStalledCount?: number;
  /**
   * On close, how long the reconciles in progress may take to finish; past it their
   * `ctx.signal` is aborted and the worker lets go (the keys are picked up again after
   * lockDurationMs). Default 30000 ms.
   */
  shutdownTimeoutMs?: number;
  /** Structured logger. Default: a silent one. */
  logger?: Logger;
}

/** {@link WorkQueueOptions} with every default applied and every value checked. */
export type CompiledWorkQueueOptions = Required<Omit<WorkQueueOptions, 'logger'>> & {
  logger: Logger | undefined;
};

/** The defaults documented on {@link WorkQueueOptions}. */
export const WORK_QUEUE_DEFAULTS = {
  concurrency: 4,
  backoffBaseMs: 1000,
  backoffCapMs: 300_000,
  backoffJitter: 0.1,
  maxAttempts: Number.POSITIVE_INFINITY,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 3,
  shutdownTimeoutMs: 30_000,
} as const;

/**
 * Applies the defaults of {@link WorkQueueOptions} and rejects, with a QueueOptionError naming
 * the option, a value the queue cannot run with. Called once, when a queue is opened.
 */
export function compileWorkQueueOptions(raw: WorkQueueOptions): CompiledWorkQueueOptions {
  const o = { ...WORK_QUEUE_DEFAULTS, ...withoutUndefined(raw) };
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(o.name)) {
    throw new QueueOptionError('name', 'a lowercase name like "reconcile"', o.name);
  }
  if (o.redisUrl === '') throw new QueueOptionError('redisUrl', 'a redis:// URL', o.redisUrl);
  if (o.keyPrefix === '' || o.keyPrefix.endsWith(':')) {
    throw new QueueOptionError('keyPrefix', 'a non-empty prefix not ending in ":"', o.keyPrefix);
  }
  integer('concurrency', o.concurrency, 1);
  integer('backoffBaseMs', o.backoffBaseMs, 1);
  integer('backoffCapMs', o.backoffCapMs, o.backoffBaseMs);
  if (!(o.backoffJitter >= 0 && o.backoffJitter < 1)) {
    throw new QueueOptionError('backoffJitter', 'a fraction in [0, 1)', o.backoffJitter);
  }
  if (o.maxAttempts !== Number.POSITIVE_INFINITY) integer('maxAttempts', o.maxAttempts, 1);
  integer('lockDurationMs', o.lockDurationMs, 100);
  integer('stalledIntervalMs', o.stalledIntervalMs, 100);
  integer('maxStalledCount', o.maxStalledCount, 0);
  integer('shutdownTimeoutMs', o.shutdownTimeoutMs, 0);
  return { ...o, logger: raw.logger };
}

function integer(option: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new QueueOptionError(option, `an integer >= ${min}`, value);
  }
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
