import { errorMessage } from '../util/berth-error.js';
import type { Logger } from '../util/logger.js';
import type { Fence } from './fence.js';
import { describeHolder } from './lease-holder.js';
import type { LeaseLostError } from './lease-lost-error.js';
import { RedisLease, type RedisLeaseOptions } from './redis-lease.js';

/** Options of {@link LeaseCampaign}. */
export interface LeaseCampaignOptions extends Omit<RedisLeaseOptions, 'onLost'> {
  /** What the lease is for, in logs ("leader", "node web-1"). */
  role: string;
  /** How often a standby tries to take the lease. Default 1 s. */
  retryMs?: number;
  /**
   * Starts the work the lease guards; its writes carry `fence` (or call `lease.check()`). A
   * throw gives the lease back; it is tried again after `retryMs`.
   */
  lead(fence: Fence, lease: RedisLease): Promise<void>;
  /** Stops that work at once: the lease was lost, or the campaign stops. */
  abdicate(reason: string): Promise<void>;
  logger: Logger;
  /** Level of the standby and takeover lines. Default `info`. */
  logLevel?: 'info' | 'debug';
}

/**
 * One process's candidacy for a lease: it tries to take the lease every `retryMs` while it does
 * not hold it (standby), runs `lead` once it does, and runs `abdicate` the moment it is lost,
 * then stands by again. Terms never overlap in this process: `abdicate` ends before the next
 * `lead` starts.
 */
export class LeaseCampaign {
  readonly lease: RedisLease;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private leading = false;
  /** Lead, abdicate and attempts run one after another. */
  private chain: Promise<unknown> = Promise.resolve();
  private standbyLogged = false;

  constructor(private readonly options: LeaseCampaignOptions) {
    this.lease = new RedisLease({ ...options, onLost: (err) => this.onLost(err) });
  }

  /**
   * Tries once now (a `lead` that fails here throws to the caller: a failed start is the
   * caller's error), then keeps trying in the background. True when this process leads.
   */
  async start(): Promise<boolean> {
    const led = await this.attempt(true);
    this.schedule();
    return led;
  }

  /** True while this process holds the lease and its work runs. */
  isLeading(): boolean {
    return this.leading && this.lease.held();
  }

  /** Stops trying; stops the work and gives the lease back when it holds it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.serial(async () => {
      if (this.leading) {
        this.leading = false;
        await this.options.abdicate('stopping');
      }
      await this.lease.release();
    });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.attempt(false)
        .catch(() => undefined)
        .finally(() => this.schedule());
    }, this.options.retryMs ?? 1_000);
    this.timer.unref();
  }

  private attempt(first: boolean): Promise<boolean> {
    return this.serial(async () => {
      if (this.stopped || this.leading) return this.leading;
      const { logger, role } = this.options;
      let took: boolean;
      try {
        took = await this.lease.acquire();
      } catch (err) {
        if (first) throw err;
        logger.warn({ role, err: errorMessage(err) }, `${role}: cannot reach the lease; retrying`);
        return false;
      }
      if (!took) {
        if (!this.standbyLogged) {
          this.standbyLogged = true;
          const holder = await RedisLease.read(this.options.redis, this.lease.key).catch(
            () => undefined,
          );
          logger[this.options.logLevel ?? 'info'](
            { role, holder: holder && describeHolder(holder), fencingToken: holder?.token },
            `${role}: standing by${holder ? `; ${describeHolder(holder)} holds the lease` : ''}`,
          );
        }
        return false;
      }
      this.standbyLogged = false;
      const fence = this.lease.fence();
      logger[this.options.logLevel ?? 'info'](
        { role, fencingToken: fence.token },
        `${role}: took the lease (token ${fence.token})`,
      );
      this.leading = true;
      try {
        await this.options.lead(fence, this.lease);
      } catch (err) {
        this.leading = false;
        await this.options.abdicate('its start failed').catch(() => undefined);
        await this.lease.release();
        if (first) throw err;
        logger.error({ role, err: errorMessage(err) }, `${role}: could not start; retrying`);
        return false;
      }
      return true;
    });
  }

  private onLost(err: LeaseLostError): void {
    const { logger, role } = this.options;
    logger.warn({ role, err: err.message }, `${role}: lost the lease; stopping its work`);
    void this.serial(async () => {
      if (!this.leading) return;
      this.leading = false;
      await this.options
        .abdicate('lease lost')
        .catch((e) =>
          logger.error({ role, err: errorMessage(e) }, `${role}: stopping its work failed`),
        );
    });
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.chain.then(step, step);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
