import { describe, expect, it } from 'vitest';
import { InventoryStore } from '../../../src/store/index.js';
import { useRedis } from '../../harness/redis.js';

describe('InventoryStore (real Redis)', () => {
  const redis = useRedis();
  const cm = (name: string, data: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'shop',
    name,
    value: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: 'shop' },
      data: { v: data },
    },
  });
  const ns = {
    apiVersion: 'v1',
    kind: 'Namespace',
    namespace: '',
    name: 'shop',
    value: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  };

  it('keeps what each source applied, revision by revision, and nothing of the previous one', async () => {
    const store = new InventoryStore(redis.client, redis.prefix);
    expect(await store.load('shop')).toBeUndefined();
    await store.save(
      'shop',
      'a'.repeat(40),
      [cm('web', '1'), cm('api', '1'), ns],
      new Date('2026-11-23T10:00:00Z'),
    );
    await store.save('blog', 'c'.repeat(40), [cm('blog', '1')]);
    await store.save(
      'shop',
      'b'.repeat(40),
      [cm('web', '2'), ns],
      new Date('2026-11-23T10:05:00Z'),
    );
    const inventory = await store.load('shop');
    expect(inventory?.revision).toBe('b'.repeat(40));
    expect(inventory?.appliedAt).toBe('2026-11-23T10:05:00.000Z');
    expect(inventory?.entries.map((e) => `${e.kind}/${e.namespace}/${e.name}`)).toEqual([
      'ConfigMap/shop/web',
      'Namespace//shop',
    ]);
    expect(inventory?.entries[0]?.value).toMatchObject({ data: { v: '2' } });
    expect((await store.load('blog'))?.entries).toHaveLength(1);
    await store.clear('shop');
    expect(await store.load('shop')).toBeUndefined();
  });
});
