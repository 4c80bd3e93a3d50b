import type { Redis } from 'ioredis';

/** One object as applied: its identity and the exact value Berth converged to. */
export interface InventoryEntry {
  apiVersion: string;
  kind: string;
  /** `''` for cluster-scoped kinds. */
  namespace: string;
  name: string;
  value: Record<string, unknown>;
  /** Kept after it left Git, and annotated IgnoreExtraneous: it does not count toward health. */
  extraneous?: boolean;
}

/** What a source has applied: the revision and its objects, by `Kind/namespace/name`. */
export interface Inventory {
  revision: string;
  appliedAt: string;
  entries: InventoryEntry[];
}

/**
 * The inventory of each source in Redis: what its last applied revision put on the host. Prune
 * compares it with the next revision (stale = applied − desired), and `berth plan` reads it as
 * "live". Written in one transaction, so a reader sees one revision's inventory or the next's,
 * never a mix.
 */
export class InventoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Replaces the source's inventory with `entries` applied at `revision`. */
  async save(
    source: string,
    revision: string,
    entries: readonly InventoryEntry[],
    now = new Date(),
  ): Promise<void> {
    const key = this.key(source);
    const tx = this.redis
      .multi()
      .del(key)
      .hset(key, '@revision', revision, '@appliedAt', now.toISOString());
    for (const e of entries) tx.hset(key, `${e.kind}/${e.namespace}/${e.name}`, JSON.stringify(e));
    await tx.exec();
  }

  /** The source's inventory, or undefined when it never applied anything. */
  async load(source: string): Promise<Inventory | undefined> {
    const all = await this.redis.hgetall(this.key(source));
    const revision = all['@revision'];
    if (revision === undefined) return undefined;
    const entries = Object.entries(all)
      .filter(([field]) => !field.startsWith('@'))
      .map(([, json]) => JSON.parse(json) as InventoryEntry)
      .sort((a, b) =>
        `${a.kind}/${a.namespace}/${a.name}`.localeCompare(`${b.kind}/${b.namespace}/${b.name}`),
      );
    return { revision, appliedAt: all['@appliedAt'] ?? '', entries };
  }

  /** Forgets the source's inventory (after `berth down`). */
  async clear(source: string): Promise<void> {
    await this.redis.del(this.key(source));
  }

  private key(source: string): string {
    return `${this.prefix}:inventory:${source}`;
  }
}
