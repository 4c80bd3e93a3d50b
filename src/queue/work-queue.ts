import { type JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { connectRedis } from '../store/index.js';
import { createLogger, type Logger } from '../util/logger.js';
import type { KeyJobData } from './key-job-data.js';
import { type KeyStatus, KeyStatusStore } from './key-status.js';
import { QueueWorker, type WorkerHost } from './queue-worker.js';
import type { Reconciler } from './reconciler.js';
import {
  type CompiledWorkQueueOptions,
  compileWorkQueueOptions,
  type WorkQueueOptions,
} from './work-queue-options.js';

/** How many jobs of a queue are in each state. */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

// bullmq stores `attempts` in the job; retries are bounded by our own maxAttempts instead.
const UNBOUNDED_ATTEMPTS = 2_147_483_647;

/**
 * A controller work queue on bullmq: keys in, one reconcile per key at a time, across every
 * process sharing the Redis. Semantics (client-go workqueue): enqueuing a key that waits is a
 * no-op; enqueuing a key being reconciled causes exactly one more reconcile after the current
 * one, however many enqueues arrive meanwhile. Both are enforced inside bullmq's own Lua
 * scripts (deduplication id = key, `keepLastIfActive`), atomically with job completion.
 */
export class WorkQueue implements WorkerHost {
  /** The compiled options, defaults applied. */
  readonly options: CompiledWorkQueueOptions;
  /** Per-key last result, error and attempt counts. */
  readonly statuses: KeyStatusStore;
  private readonly log: Logger;
  private readonly workers = new Set<QueueWorker>();

  private constructor(
    options: CompiledWorkQueueOptions,
    private readonly redis: Redis,
    private readonly queue: Queue<KeyJobData>,
  ) {
    this.options = options;
    this.log = (options.logger ?? createLogger({ level: 'silent' })).child({ queue: options.name });
    this.statuses = new KeyStatusStore(redis, `${options.keyPrefix}:queue-status:${options.name}`);
  }

  /**
   * Compiles the options, connects to Redis (a BerthError `RedisUnavailable` when it does not
   * answer) and returns the queue. Jobs already in Redis are kept: this is how work survives
   * a restart.
   */
  static async open(raw: WorkQueueOptions): Promise<WorkQueue> {
    const options = compileWorkQueueOptions(raw);
    const redis = await connectRedis(options.redisUrl);
    const queue = new Queue<KeyJobData>(options.name, {
      connection: redis,
      prefix: options.keyPrefix,
    });
    queue.on('error', () => {});
    return new WorkQueue(options, redis, queue);
  }

  /**
   * Asks for `key` to be reconciled. Returns once the request is stored in Redis. A key that
   * already waits is not queued twice; a key being reconciled is reconciled once more after;
   * a key waiting for a retry or a requeue is promoted to now.
   */
  async enqueue(key: string): Promise<void> {
    await this.queue.add(key, { key }, this.jobOptions(key, 0));
  }

  /** Enqueues many keys (one round trip per key, pipelined by ioredis). */
  async enqueueAll(keys: Iterable<string>): Promise<void> {
    await Promise.all([...keys].map((key) => this.enqueue(key)));
  }

  /**
   * Asks for `key` to be reconciled in `delayMs` unless it already waits or runs (then this is
   * a no-op: that reconcile will ask again if it needs to). Used for `Result.requeueAfterMs`.
   */
  async enqueueAfter(key: string, delayMs: number): Promise<void> {
    await this.queue.add(key, { key }, this.jobOptions(key, delayMs));
  }

  /** Starts a worker (one per process is the norm) that reconciles keys with `reconciler`. */
  startWorker(reconciler: Reconciler): QueueWorker {
    const worker = new QueueWorker(this, reconciler, this.log, () => this.workers.delete(worker));
    this.workers.add(worker);
    return worker;
  }

  /** The recorded status of `key`: last result, last error, consecutive failures, counts. */
  status(key: string): Promise<KeyStatus | undefined> {
    return this.statuses.get(key);
  }

  /** Jobs per state, across every process. */
  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts(
      'waiting',
      'prioritized',
      'active',
      'delayed',
      'failed',
    );
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
    };
  }

  /**
   * Removes and reports whether an update of `key` arrived during its current reconcile (the
   * pending next job bullmq keeps for `keepLastIfActive`). Used by a failing reconcile: the
   * update is then served by an immediate retry instead of a second reconcile later.
   */
  async takePendingUpdate(key: string): Promise<boolean> {
    return (await this.redis.del(`${this.options.keyPrefix}:${this.options.name}:dn:${key}`)) > 0;
  }

  /** A new Redis connection to the queue's server, for a worker (bullmq blocks on its own). */
  connect(): Redis {
    return new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
  }

  /** Closes the workers started here (gracefully, see QueueWorker.close), then the connection. */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.close()));
    await this.queue.close();
    this.redis.disconnect();
  }

  // Deduplication id = key: at most one waiting and one running job per key. `reschedule`
  // makes an immediate enqueue pull a delayed job (retry, requeue) forward to now.
  private jobOptions(key: string, delayMs: number): JobsOptions {
    return {
      deduplication: { id: key, keepLastIfActive: true, reschedule: delayMs === 0 },
      delay: delayMs,
      attempts: UNBOUNDED_ATTEMPTS,
      backoff: { type: 'berth' },
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
    } as JobsOptions;
  }
}
