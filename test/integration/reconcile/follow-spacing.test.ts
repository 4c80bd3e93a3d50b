import { describe, expect, it } from 'vitest';
import {
  InventoryStore,
  MemoryObjectStore,
  RevisionObjects,
  SourceStateStore,
} from '../../../src/store/index.js';
import { syncReconciler } from '../../../src/sync/index.js';
import { createLogger } from '../../../src/util/logger.js';
import { useRedis } from '../../harness/redis.js';

// A rollout in progress is looked at every 500 ms (progressMs), each look reading every object of
// the revision. For a large source the looks are spaced to at least 4x their own duration, or
// following n objects would cost O(n) per look for O(n) time: the square of the source's size.
describe('following a rollout in progress', () => {
  const redis = useRedis();

  /** A source whose revision is applied and whose objects are not in the store yet (Missing). */
  async function follower(lookDelayMs: number, name: string) {
    const prefix = `${redis.prefix}:${name}`;
    const states = new SourceStateStore(redis.client, prefix);
    const inventory = new InventoryStore(redis.client, prefix);
    const revision = 'a'.repeat(40);
    await states.update(name, { target: revision, applied: revision, sync: 'Syncing' });
    await inventory.save(
      name,
      revision,
      Array.from({ length: 3 }, (_, i) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        namespace: 'default',
        name: `cm-${i}`,
        value: {},
      })),
    );
    const store = new MemoryObjectStore();
    const getMany = store.getMany.bind(store);
    let looks = 0;
    store.getMany = async (keys) => {
      looks++;
      await new Promise((r) => setTimeout(r, lookDelayMs));
      return getMany(keys);
    };
    const reconcile = syncReconciler({
      store,
      inventory,
      states,
      revisions: new RevisionObjects(redis.client, prefix),
      record: async () => {},
      enqueue: async () => {},
      now: () => new Date(),
      logger: createLogger({ level: 'silent' }),
      progressMs: 500,
    });
    const result = await reconcile({} as never, `${name}@${revision}`);
    return { result, looks, state: await states.get(name) };
  }

  it('a quick look comes back after progressMs', async () => {
    const { result, looks, state } = await follower(0, 'quick');
    expect(looks).toBeGreaterThan(0);
    expect(state?.sync).toBe('Syncing');
    expect(result).toEqual({ requeueAfterMs: 500 });
  });

  it('a slow look (a large source) comes back after at least four times its duration', async () => {
    const { result, looks, state } = await follower(250, 'slow');
    expect(state?.sync).toBe('Syncing');
    expect(state?.health).toBe('Missing');
    // Each store read of the look took 250 ms.
    expect((result as { requeueAfterMs: number }).requeueAfterMs).toBeGreaterThanOrEqual(
      4 * 250 * looks,
    );
  });
});
