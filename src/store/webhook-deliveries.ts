import type { Redis } from 'ioredis';

/** Options of {@link WebhookDeliveries}. */
export interface WebhookDeliveriesOptions {
  /** How long a delivery ID is remembered. Default 24 h (providers redeliver within hours). */
  ttlMs?: number;
}

/**
 * Delivery IDs of webhooks already accepted, in Redis with a TTL: the replay guard. `SET NX`
 * makes the claim atomic, so several Berth processes behind one URL accept a delivery once.
 */
export class WebhookDeliveries {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    /** Berth's Redis key prefix (`redis.keyPrefix`). Keys are `<prefix>:webhook-delivery:<source>:<id>`. */
    private readonly keyPrefix: string,
    options: WebhookDeliveriesOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 86_400_000;
  }

  /** Records a delivery; `true` the first time it is seen within the TTL, `false` for a replay. */
  async claim(source: string, deliveryId: string): Promise<boolean> {
    const key = `${this.keyPrefix}:webhook-delivery:${source}:${deliveryId}`;
    const result = await this.redis.set(key, String(Date.now()), 'PX', this.ttlMs, 'NX');
    return result === 'OK';
  }
}
