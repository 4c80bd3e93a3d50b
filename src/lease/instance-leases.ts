import type { Redis } from 'ioredis';
import type { LeaseRecord } from './lease-holder.js';
import { leaseKeys } from './lease-keys.js';
import { RedisLease } from './redis-lease.js';

/** The leases of an instance as `berth down` and `berth status` read them. */
export interface InstanceLeases {
  /** Every live process (`berth up`, `berth up --worker`), oldest first. */
  processes: LeaseRecord[];
  /** The leader, if one leads. */
  leader?: LeaseRecord;
  /** The node leases held, by node name. */
  nodes: LeaseRecord[];
}

/** Reads the leases of the instance under `prefix` (a SCAN of its own keys only). */
export async function readInstanceLeases(redis: Redis, prefix: string): Promise<InstanceLeases> {
  const keys = leaseKeys(prefix);
  const scan = async (pattern: string) => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found.filter((k) => !k.endsWith(':token'));
  };
  const read = async (list: string[]) =>
    (await Promise.all(list.map((k) => RedisLease.read(redis, k)))).filter(
      (r): r is LeaseRecord => r !== undefined,
    );
  const escaped = prefix.replace(/[*?[\]\\]/g, '\\$&');
  const [processes, nodes, leader] = await Promise.all([
    scan(keys.processPattern).then(read),
    scan(`${escaped}:lease:node:*`).then(read),
    RedisLease.read(redis, keys.leader),
  ]);
  processes.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return { processes, nodes, ...(leader ? { leader } : {}) };
}
