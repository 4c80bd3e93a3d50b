import type { Redis } from 'ioredis';

/** Where a key stands after its latest reconcile. */
export type KeyPhase = 'running' | 'succeeded' | 'retrying' | 'failed';

/** What the queue records per key, readable by status commands (all times ISO 8601). */
export interface KeyStatus {
  key: string;
  phase: KeyPhase;
  /** Consecutive failed attempts; 0 after a success. */
  failures: number;
  /** Reconciles started for this key since it was first seen. */
  reconciles: number;
  /** The message of the latest failure, kept until the next success. */
  lastError?: string;
  /** `code` of the latest failure when it was a BerthError (`Terminal` for a TerminalError). */
  lastErrorCode?: string;
  lastStartedAt?: string;
  lastFinishedAt?: string;
  lastDurationMs?: number;
  /** Set when the latest reconcile asked to be requeued, or the key waits for a retry. */
  nextDelayMs?: number;
}

/** Reads and writes {@link KeyStatus} records: one Redis hash per key, plus an index set. */
export class KeyStatusStore {
  constructor(
    private readonly redis: Redis,
    private readonly base: string,
  ) {}

  /** Records the start of a reconcile. */
  async started(key: string): Promise<void> {
    await this.redis
      .multi()
      .sadd(this.base, key)
      .hset(this.hashKey(key), 'phase', 'running', 'lastStartedAt', new Date().toISOString())
      .hincrby(this.hashKey(key), 'reconciles', 1)
      .exec();
  }

  /** Records a success: failures reset, last error cleared. */
  async succeeded(key: string, durationMs: number, requeueAfterMs?: number): Promise<void> {
    const h = this.hashKey(key);
    const m = this.redis.multi();
    m.hset(h, 'phase', 'succeeded', 'failures', 0, ...this.finished(durationMs));
    m.hdel(h, 'lastError', 'lastErrorCode', 'nextDelayMs');
    if (requeueAfterMs !== undefined) m.hset(h, 'nextDelayMs', requeueAfterMs);
    await m.exec();
  }

  /** Records a failure: `retryInMs` when it will be retried, `undefined` when it is final. */
  async failed(
    key: string,
    durationMs: number,
    failures: number,
    error: { message: string; code?: string },
    retryInMs: number | undefined,
  ): Promise<void> {
    const h = this.hashKey(key);
    const m = this.redis.multi();
    m.hset(h, 'phase', retryInMs === undefined ? 'failed' : 'retrying', 'failures', failures);
    m.hset(h, 'lastError', error.message, ...this.finished(durationMs));
    m.hdel(h, 'lastErrorCode', 'nextDelayMs');
    if (error.code !== undefined) m.hset(h, 'lastErrorCode', error.code);
    if (retryInMs !== undefined) m.hset(h, 'nextDelayMs', retryInMs);
    await m.exec();
  }

  /** The status of one key, or `undefined` if it was never reconciled. */
  async get(key: string): Promise<KeyStatus | undefined> {
    const h = await this.redis.hgetall(this.hashKey(key));
    if (h.phase === undefined) return undefined;
    const status: KeyStatus = {
      key,
      phase: h.phase as KeyPhase,
      failures: Number(h.failures ?? 0),
      reconciles: Number(h.reconciles ?? 0),
    };
    if (h.lastError !== undefined) status.lastError = h.lastError;
    if (h.lastErrorCode !== undefined) status.lastErrorCode = h.lastErrorCode;
    if (h.lastStartedAt !== undefined) status.lastStartedAt = h.lastStartedAt;
    if (h.lastFinishedAt !== undefined) status.lastFinishedAt = h.lastFinishedAt;
    if (h.lastDurationMs !== undefined) status.lastDurationMs = Number(h.lastDurationMs);
    if (h.nextDelayMs !== undefined) status.nextDelayMs = Number(h.nextDelayMs);
    return status;
  }

  /** Every key with a status record, sorted. */
  async keys(): Promise<string[]> {
    return (await this.redis.smembers(this.base)).sort();
  }

  /** Forgets a key (its object was deleted). */
  async forget(key: string): Promise<void> {
    await this.redis.multi().srem(this.base, key).del(this.hashKey(key)).exec();
  }

  private finished(durationMs: number): (string | number)[] {
    return ['lastFinishedAt', new Date().toISOString(), 'lastDurationMs', durationMs];
  }

  private hashKey(key: string): string {
    return `${this.base}:${key}`;
  }
}
