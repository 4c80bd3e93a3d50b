import type { Redis } from 'ioredis';

// KEYS: index set, status hash. ARGV: key, time.
const STARTED = `redis.call('SADD', KEYS[1], ARGV[1])
redis.call('HSET', KEYS[2], 'phase', 'running', 'lastStartedAt', ARGV[2])
redis.call('HINCRBY', KEYS[2], 'reconciles', 1)`;

// KEYS: status hash. ARGV: phase, failures, time, durationMs, nextDelayMs, error, code ('' = none).
const FINISHED = `redis.call('HSET', KEYS[1], 'phase', ARGV[1], 'failures', ARGV[2],
  'lastFinishedAt', ARGV[3], 'lastDurationMs', ARGV[4])
local optional = { nextDelayMs = ARGV[5], lastError = ARGV[6], lastErrorCode = ARGV[7] }
for field, value in pairs(optional) do
  if value == '' then redis.call('HDEL', KEYS[1], field) else redis.call('HSET', KEYS[1], field, value) end
end`;

type Arg = string | number;
interface StatusScripts {
  berthStatusStarted(index: string, hash: string, key: string, time: string): Promise<unknown>;
  berthStatusFinished(hash: string, ...args: Arg[]): Promise<unknown>;
}

function now(): string {
  return new Date().toISOString();
}

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
  private readonly scripts: StatusScripts;

  constructor(
    private readonly redis: Redis,
    private readonly base: string,
  ) {
    // One script call per write (EVALSHA, cached by ioredis): the writes sit on every
    // reconcile's path, and a MULTI of five commands costs measurably more.
    redis.defineCommand('berthStatusStarted', { numberOfKeys: 2, lua: STARTED });
    redis.defineCommand('berthStatusFinished', { numberOfKeys: 1, lua: FINISHED });
    this.scripts = redis as unknown as StatusScripts;
  }

  /** Records the start of a reconcile. */
  async started(key: string): Promise<void> {
    await this.scripts.berthStatusStarted(this.base, this.hashKey(key), key, now());
  }

  /** Records a success: failures reset, last error cleared. */
  async succeeded(key: string, durationMs: number, requeueAfterMs?: number): Promise<void> {
    await this.scripts.berthStatusFinished(
      this.hashKey(key),
      'succeeded',
      0,
      now(),
      durationMs,
      requeueAfterMs ?? '',
      '',
      '',
    );
  }

  /** Records a failure: `retryInMs` when it will be retried, `undefined` when it is final. */
  async failed(
    key: string,
    durationMs: number,
    failures: number,
    error: { message: string; code?: string },
    retryInMs: number | undefined,
  ): Promise<void> {
    await this.scripts.berthStatusFinished(
      this.hashKey(key),
      retryInMs === undefined ? 'failed' : 'retrying',
      failures,
      now(),
      durationMs,
      retryInMs ?? '',
      error.message,
      error.code ?? '',
    );
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

  private hashKey(key: string): string {
    return `${this.base}:${key}`;
  }
}
