import { Redis } from 'ioredis';
import { BerthError } from '../util/berth-error.js';

/**
 * Opens a Redis connection and checks that it answers. `maxRetriesPerRequest: null` is what
 * bullmq requires of connections it blocks on; callers that must fail fast pass their own.
 */
export async function connectRedis(
  url: string,
  options: { maxRetriesPerRequest?: number | null; onError?: (err: Error) => void } = {},
): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? null,
    enableReadyCheck: true,
  });
  // ioredis reconnects by itself; without a listener it prints every failed attempt as unhandled.
  redis.on('error', options.onError ?? (() => {}));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new BerthError(
      'RedisUnavailable',
      `Redis does not answer at ${redactUrl(url)}: ${(err as Error).message} (run scripts/setup-host, or set redis.url / BERTH_REDIS_URL)`,
      { url: redactUrl(url) },
      { cause: err },
    );
  }
  return redis;
}

/** A URL with any password replaced, fit for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
