import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import type { Fence } from './fence.js';
import type { LeaseHolder, LeaseRecord } from './lease-holder.js';
import { LeaseLostError } from './lease-lost-error.js';

/** Options of {@link RedisLease}. */
export interface RedisLeaseOptions {
  redis: Redis;
  /** The lease's Redis key (under the instance's key prefix). Its token counter is `<key>:token`. */
  key: string;
  /** Written into the lease: who holds it. */
  holder: LeaseHolder;
  /** How long the lease lives without a renewal. Default 10 s. */
  ttlMs?: number;
  /** How often the holder renews it. Default a third of `ttlMs`. */
  renewMs?: number;
  /**
   * Called once when a held lease is lost: a renewal was refused (the key expired or another
   * holder has it), or no renewal succeeded before the lease expired (Redis unreachable).
   */
  onLost?(err: LeaseLostError): void;
}

// KEYS[1] lease, KEYS[2] token counter; ARGV[1] holder JSON, ARGV[2] ttl ms. SET NX PX with a
// token from INCR, atomically: a token is spent only on a successful acquisition, so tokens of
// successive holders strictly increase.
const ACQUIRE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local t = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], t .. ' ' .. ARGV[1], 'NX', 'PX', ARGV[2])
return t
`;
// Compare-and-set: only the exact value this holder wrote is renewed or deleted.
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * A lease in Redis with a fencing token. {@link acquire} takes it when free (SET NX PX, the token
 * from INCR); the holder then renews it every `renewMs` with a compare-and-set and, as soon as a
 * renewal is refused or the lease's time runs out without one, calls `onLost` and stops
 * counting as holder. Writes that must come from the holder only carry {@link fence} (checked
 * by Redis in the write's own script) or call {@link check} right before they act (git).
 */
export class RedisLease {
  readonly key: string;
  private readonly ttlMs: number;
  private readonly renewMs: number;
  private value: string | undefined;
  private current: number | undefined;
  /** performance.now() past which the lease may have expired in Redis. */
  private validUntil = 0;
  private renewTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RedisLeaseOptions) {
    this.key = options.key;
    this.ttlMs = options.ttlMs ?? 10_000;
    this.renewMs = options.renewMs ?? Math.max(100, Math.floor(this.ttlMs / 3));
  }

  /** Takes the lease when nobody holds it; true when this process now holds it. */
  async acquire(): Promise<boolean> {
    if (this.held()) return true;
    const value = JSON.stringify(this.options.holder);
    const sent = performance.now();
    const token = (await this.options.redis.eval(
      ACQUIRE,
      2,
      this.key,
      `${this.key}:token`,
      value,
      this.ttlMs,
    )) as number | null;
    if (token === null) return false;
    this.current = Number(token);
    this.value = `${token} ${value}`;
    this.extend(sent);
    this.scheduleRenewal();
    return true;
  }

  /** True while this process holds the lease (taken and, as far as it knows, not expired). */
  held(): boolean {
    return this.current !== undefined && performance.now() < this.validUntil;
  }

  /** The fencing token of the current term. */
  token(): number | undefined {
    return this.current;
  }

  /** The fence of the current term, for writes only the holder may make. */
  fence(): Fence {
    if (this.current === undefined) throw new LeaseLostError(this.key, 0, 'it was never taken');
    return { key: this.key, token: this.current };
  }

  /**
   * Throws a {@link LeaseLostError} unless this process still holds the lease, asking Redis:
   * the check right before a write Redis cannot fence (a git commit, a push).
   */
  async check(): Promise<void> {
    const token = this.current ?? 0;
    if (!this.held()) throw new LeaseLostError(this.key, token, 'its time ran out');
    const value = await this.options.redis.get(this.key);
    if (value !== this.value) {
      this.lost(value ? `token ${value.split(' ')[0]} holds it now` : 'it expired');
      throw new LeaseLostError(this.key, token, value ? 'another holder has it' : 'it expired');
    }
  }

  /** Gives the lease up (only if this process still holds it) and stops renewing it. */
  async release(): Promise<void> {
    const value = this.value;
    this.forget();
    if (value) await this.options.redis.eval(RELEASE, 1, this.key, value).catch(() => undefined);
  }

  /** Reads the lease at `key`, if anyone holds it. */
  static async read(redis: Redis, key: string): Promise<LeaseRecord | undefined> {
    const [[, value], [, ttl]] = (await redis.multi().get(key).pttl(key).exec()) as [
      [unknown, string | null],
      [unknown, number],
    ];
    if (!value) return undefined;
    const space = value.indexOf(' ');
    try {
      const holder = JSON.parse(value.slice(space + 1)) as LeaseHolder;
      return { ...holder, key, token: Number(value.slice(0, space)), expiresInMs: ttl };
    } catch {
      return undefined;
    }
  }

  private extend(sent: number): void {
    // Redis counts the ttl from when it ran the command, after `sent`: this side ends first.
    this.validUntil = sent + this.ttlMs;
    clearTimeout(this.expiryTimer);
    this.expiryTimer = setTimeout(
      () => {
        if (this.current !== undefined && !this.held()) this.lost('it was not renewed in time');
      },
      Math.max(0, this.validUntil - performance.now()) + 1,
    );
    this.expiryTimer.unref();
  }

  private scheduleRenewal(): void {
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => void this.renew(), this.renewMs);
    this.renewTimer.unref();
  }

  private async renew(): Promise<void> {
    const value = this.value;
    if (!value) return;
    const sent = performance.now();
    try {
      const ok = await this.options.redis.eval(RENEW, 1, this.key, value, this.ttlMs);
      if (this.value !== value) return;
      if (Number(ok) !== 1 || !this.held()) return this.lost('the renewal was refused');
      this.extend(sent);
    } catch {
      // Redis does not answer: try again until the lease runs out (the expiry timer says so).
      if (this.value !== value) return;
    }
    this.scheduleRenewal();
  }

  private lost(why: string): void {
    const token = this.current;
    if (token === undefined) return;
    this.forget();
    this.options.onLost?.(new LeaseLostError(this.key, token, why));
  }

  private forget(): void {
    clearTimeout(this.renewTimer);
    clearTimeout(this.expiryTimer);
    this.current = undefined;
    this.value = undefined;
    this.validUntil = 0;
  }
}
