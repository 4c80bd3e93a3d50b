import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { SUPPORTED_KINDS } from '../manifests/kinds.js';
import { createStores } from '../store/index.js';

/** The work queues `berth down` empties. */
export const BERTH_QUEUES = ['sync', 'reconcile', 'node', 'rollback'] as const;

/** What {@link teardownRedis} removed. */
export interface RedisTeardown {
  objects: number;
  sources: number;
  inventories: number;
  revisions: number;
  /** Jobs (waiting, delayed, failed...) dropped with the queues. */
  jobs: number;
}

/**
 * Removes Berth's working state under `prefix`: the work queues (bullmq obliterate, forced, and
 * their per-key statuses), the object store (every kind found), inventories, source states,
 * the validated revisions and the Service address and NodePort allocations. Events and history, the audit
 * trail, and webhook delivery ids are kept.
 */
export async function teardownRedis(
  redis: Redis,
  prefix: string,
  sources: readonly string[],
): Promise<RedisTeardown> {
  // Queues first: nothing queued is left to recreate what follows.
  let jobs = 0;
  for (const name of BERTH_QUEUES) {
    const queue = new Queue(name, { connection: redis, prefix });
    queue.on('error', () => {});
    try {
      const counts = await queue.getJobCounts();
      jobs += Object.values(counts).reduce((a, b) => a + b, 0);
      await queue.obliterate({ force: true });
    } finally {
      await queue.close();
    }
    await deleteMatching(redis, `${escapeGlob(prefix)}:queue-status:${escapeGlob(name)}*`);
  }
  const kindKeys = await scanKeys(redis, `${escapeGlob(prefix)}:objkeys:*`);
  const kinds = new Set([
    ...[...SUPPORTED_KINDS.values()].map((k) => k.kind),
    'Endpoints',
    ...kindKeys.map((k) => k.slice(`${prefix}:objkeys:`.length)),
  ]);
  let objects = 0;
  for (const kind of kinds) objects += await redis.scard(`${prefix}:objkeys:${kind}`);
  const stores = createStores(redis, prefix);
  await stores.objects.clear([...kinds]);
  for (const pattern of ['obj', 'objstatus', 'owned'])
    await deleteMatching(redis, `${escapeGlob(prefix)}:${pattern}:*`);
  const states = stores.sources;
  const stored = (await states.list()).map((s) => s.name);
  for (const name of new Set([...sources, ...stored])) await states.remove(name);
  const inventoryKeys = await scanKeys(redis, `${escapeGlob(prefix)}:inventory:*`);
  const inventories = stores.inventory;
  for (const key of inventoryKeys)
    await inventories.clear(key.slice(`${prefix}:inventory:`.length));
  const revisions = await deleteMatching(redis, `${escapeGlob(prefix)}:revision:*`);
  for (const allocations of ['cluster-ips', 'node-ports'])
    await deleteMatching(redis, `${escapeGlob(prefix)}:${allocations}:*`);
  return {
    objects,
    sources: stored.length,
    inventories: inventoryKeys.length,
    revisions,
    jobs,
  };
}

/** How many workers (processes such as `berth up`) are connected to Berth's queues. */
export async function queueWorkers(redis: Redis, prefix: string): Promise<number> {
  let workers = 0;
  for (const name of BERTH_QUEUES) {
    const queue = new Queue(name, { connection: redis, prefix });
    queue.on('error', () => {});
    try {
      workers += await queue.getWorkersCount();
    } catch {
      // CLIENT LIST may be refused (managed Redis): no warning then.
    } finally {
      await queue.close();
    }
  }
  return workers;
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  return keys;
}

async function deleteMatching(redis: Redis, pattern: string): Promise<number> {
  const keys = await scanKeys(redis, pattern);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
  return keys.length;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
