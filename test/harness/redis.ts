import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { uniqueId } from './run-id.js';

/** The Redis of the integration tests (scripts/setup-host starts it). */
export const REDIS_URL = process.env.BERTH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A test file's own slice of Redis. */
export interface TestRedis {
  /** A prefix unique to this file: give it to Berth (`redis.keyPrefix`) and to bullmq (`prefix`). */
  prefix: string;
  /** A plain client (no key prefix) for assertions. */
  client: Redis;
  /** Deletes every key under the prefix. Runs after the file's tests whatever their result. */
  cleanup(): Promise<void>;
}

/**
 * Gives the calling test file a unique key prefix and removes all its keys after its tests,
 * pass or fail. Call at the top level of a test file.
 */
export function useRedis(): TestRedis {
  const prefix = `berth-test:${uniqueId()}`;
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  const cleanup = async () => {
    await deleteByPrefix(client, prefix);
  };
  afterAll(async () => {
    await cleanup();
    client.disconnect();
  });
  return { prefix, client, cleanup };
}

/** Deletes every key starting with `prefix` (SCAN, never KEYS). */
export async function deleteByPrefix(client: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await client.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
