import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { keyKind, reconcileDuration, reconcileTotal } from '../metrics/index.js';
import { BerthError, errorMessage } from '../util/berth-error.js';
import type { Logger } from '../util/logger.js';
import { backoffDelayMs } from './backoff.js';
import type { KeyJobData } from './key-job-data.js';
import type { KeyStatusStore } from './key-status.js';
import type { Reconciler, Result } from './reconciler.js';
import { TerminalError } from './terminal-error.js';
import type { CompiledWorkQueueOptions } from './work-queue-options.js';

/** What a worker needs of its queue (WorkQueue implements it). */
export interface WorkerHost {
  readonly options: CompiledWorkQueueOptions;
  readonly statuses: KeyStatusStore;
  enqueueAfter(key: string, delayMs: number): Promise<void>;
  takePendingUpdate(key: string): Promise<boolean>;
  connect(): Redis;
}

/** What a job returns to bullmq: the requeue a successful reconcile asked for. */
interface JobResult {
  requeueAfterMs?: number;
}

const STALLED_LIMIT = 'job stalled more than allowable limit';

/**
 * One process's consumer of a work queue: runs the reconciler on up to `concurrency`
 * keys at once, retries failures with capped exponential backoff, records each key's status,
 * and closes gracefully. Started by `WorkQueue.startWorker`.
 */
export class QueueWorker {
  private readonly worker: Worker<KeyJobData, JobResult>;
  private readonly connection: Redis;
  private readonly running = new Set<AbortController>();
  private readonly requeues = new Set<Promise<void>>();
  // The retry delay chosen by the processor for an error it rethrows, read by bullmq's backoff.
  private readonly retryDelays = new WeakMap<Error, number>();
  private closing: Promise<void> | undefined;

  constructor(
    private readonly queue: WorkerHost,
    private readonly reconciler: Reconciler,
    private readonly log: Logger,
    private readonly onClosed: () => void,
  ) {
    const o = queue.options;
    this.connection = queue.connect();
    this.worker = new Worker<KeyJobData, JobResult>(o.name, (job) => this.process(job), {
      connection: this.connection,
      prefix: o.keyPrefix,
      concurrency: o.concurrency,
      lockDuration: o.lockDurationMs,
      stalledInterval: o.stalledIntervalMs,
      maxStalledCount: o.maxStalledCount,
      settings: {
        backoffStrategy: (attemptsMade, _type, err) =>
          (err && this.retryDelays.get(err)) ?? backoffDelayMs(attemptsMade, o),
      },
    });
    this.worker.on('error', (err) =>
      this.log.error({ err: errorMessage(err) }, 'queue worker error'),
    );
    this.worker.on('completed', (job, result) => this.requeueAfter(job, result));
    this.worker.on('failed', (job, err) => {
      if (job && err.message === STALLED_LIMIT) void this.recordStalledOut(job);
    });
    this.worker.on('stalled', (jobId) =>
      this.log.warn({ jobId }, 'a reconcile lost its worker; it is queued again'),
    );
  }

  /**
   * Stops taking keys, lets the reconciles in progress finish for up to `shutdownTimeoutMs`,
   * then aborts their `ctx.signal` and lets go: a reconcile that still runs keeps its lock until
   * it expires (`lockDurationMs`), after which another worker reconciles the key again.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  /** Resolves when the worker is connected and taking keys. */
  async ready(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  private async process(job: Job<KeyJobData, JobResult>): Promise<JobResult> {
    const { key } = job.data;
    const attempt = job.attemptsMade + 1;
    const abort = new AbortController();
    // Bound lazily: building a child logger per reconcile is a cost most reconciles never use.
    let bound: Logger | undefined;
    const parent = this.log;
    const logger = () => {
      bound ??= parent.child({ key, attempt });
      return bound;
    };
    const statuses = this.queue.statuses;
    this.running.add(abort);
    const t0 = performance.now();
    try {
      // Not awaited: the next write of this key's status goes down the same connection after
      // it, so ordering holds with one round trip less per reconcile.
      statuses
        .started(key)
        .catch((err) => logger().error({ err: errorMessage(err) }, 'status write failed'));
      const result: Result =
        (await this.reconciler(
          {
            key,
            attempt,
            signal: abort.signal,
            get log() {
              return logger();
            },
          },
          key,
        )) ?? {};
      const ms = Math.round(performance.now() - t0);
      observeReconcile(this.queue.options.name, key, 'success', performance.now() - t0);
      await statuses.succeeded(key, ms, result.requeueAfterMs);
      if (parent.isLevelEnabled('debug')) {
        logger().debug(
          { durationMs: ms, requeueAfterMs: result.requeueAfterMs },
          `reconciled ${key}`,
        );
      }
      return result.requeueAfterMs === undefined ? {} : { requeueAfterMs: result.requeueAfterMs };
    } catch (thrown) {
      const ms = Math.round(performance.now() - t0);
      const err = thrown instanceof Error ? thrown : new Error(String(thrown));
      const code = err instanceof BerthError ? err.code : undefined;
      const final = err instanceof TerminalError || attempt >= this.queue.options.maxAttempts;
      observeReconcile(
        this.queue.options.name,
        key,
        final ? 'failure' : 'retry',
        performance.now() - t0,
      );
      if (final) {
        await statuses.failed(key, ms, attempt, { message: err.message, code }, undefined);
        logger().error(
          { err: err.message, code, durationMs: ms },
          `reconcile of ${key} failed; not retried`,
        );
        throw new UnrecoverableError(err.message);
      }
      // An update that arrived during this failed attempt is served by retrying now.
      const updated = await this.queue.takePendingUpdate(key);
      const delay = updated ? 0 : backoffDelayMs(attempt, this.queue.options);
      this.retryDelays.set(err, delay);
      await statuses.failed(key, ms, attempt, { message: err.message, code }, delay);
      logger().warn(
        { err: err.message, code, durationMs: ms, retryInMs: delay },
        `reconcile of ${key} failed; retrying`,
      );
      throw err;
    } finally {
      this.running.delete(abort);
    }
  }

  private requeueAfter(job: Job<KeyJobData, JobResult>, result: JobResult): void {
    if (result?.requeueAfterMs === undefined) return;
    const p = this.queue
      .enqueueAfter(job.data.key, result.requeueAfterMs)
      .catch((err) =>
        this.log.error({ key: job.data.key, err: errorMessage(err) }, 'requeue failed'),
      )
      .finally(() => this.requeues.delete(p));
    this.requeues.add(p);
  }

  private async recordStalledOut(job: Job<KeyJobData, JobResult>): Promise<void> {
    const message = `reconcile lost its worker more than ${this.queue.options.maxStalledCount} times`;
    await this.queue.statuses
      .failed(job.data.key, 0, job.attemptsMade, { message, code: 'Stalled' }, undefined)
      .catch(() => {});
    this.log.error({ key: job.data.key }, `${message}; not retried`);
  }

  private async shutDown(): Promise<void> {
    const closed = this.worker.close();
    const timeoutMs = this.queue.options.shutdownTimeoutMs;
    if (!(await settlesWithin(closed, timeoutMs))) {
      this.log.warn(
        { running: this.running.size, timeoutMs },
        'shutdown timeout: aborting reconciles',
      );
      for (const abort of this.running) abort.abort(new Error('worker shutting down'));
      if (!(await settlesWithin(closed, 1000))) {
        this.log.warn(
          { running: this.running.size },
          'reconciles still running; leaving them to lock expiry',
        );
      }
    }
    await Promise.allSettled([...this.requeues]);
    this.connection.disconnect();
    this.onClosed();
  }
}

async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const done = p.then(
    () => true,
    () => true,
  );
  try {
    return await Promise.race([done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Counts a reconcile in berth_reconcile_total and berth_reconcile_duration_seconds. */
function observeReconcile(queue: string, key: string, result: string, ms: number): void {
  const kind = keyKind(queue, key);
  reconcileTotal.inc({ kind, result });
  reconcileDuration.observe({ kind }, ms / 1000);
}
