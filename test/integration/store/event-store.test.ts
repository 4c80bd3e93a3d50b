import { describe, expect, it } from 'vitest';
import { RedisEventStore } from '../../../src/store/index.js';
import { useRedis } from '../../harness/redis.js';

describe('EventStore (real Redis)', () => {
  const redis = useRedis();
  const web = { kind: 'Deployment', namespace: 'shop', name: 'web' };
  const api = { kind: 'Deployment', namespace: 'shop', name: 'api' };

  it("returns an object's events newest first, with time and id, and only its own", async () => {
    const store = new RedisEventStore(redis.client, `${redis.prefix}:a`);
    await store.record({
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      object: web,
      message: 'Scaled up replica set web-7d9c to 3',
      revision: 'a1',
      source: 'shop',
    });
    await store.record({
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      object: api,
      message: 'Scaled up replica set api-5f6b to 2',
      source: 'shop',
    });
    await store.record({
      type: 'Warning',
      reason: 'ProgressDeadlineExceeded',
      object: web,
      message: 'ReplicaSet "web-5f6b" has timed out progressing',
      revision: 'b2',
      source: 'shop',
    });
    const events = await store.forObject(web);
    expect(events.map((e) => [e.type, e.reason, e.revision])).toEqual([
      ['Warning', 'ProgressDeadlineExceeded', 'b2'],
      ['Normal', 'ScalingReplicaSet', 'a1'],
    ]);
    expect(Date.parse(events[0]?.time ?? '')).not.toBeNaN();
    expect(String(events[0]?.id) > String(events[1]?.id)).toBe(true);
  });

  it('filters recent events by source and namespace', async () => {
    const store = new RedisEventStore(redis.client, `${redis.prefix}:b`);
    await store.record({
      type: 'Normal',
      reason: 'Synced',
      object: web,
      message: 'ok',
      source: 'shop',
    });
    await store.record({
      type: 'Normal',
      reason: 'Synced',
      object: { kind: 'Namespace', namespace: '', name: 'blog' },
      message: 'ok',
      source: 'blog',
    });
    expect((await store.recent({ source: 'blog' })).map((e) => e.object.name)).toEqual(['blog']);
    expect((await store.recent({ namespace: 'shop' })).map((e) => e.source)).toEqual(['shop']);
    expect(await store.recent({ limit: 1 })).toHaveLength(1);
  });

  it('stays capped however many events arrive, and lets quiet objects expire', async () => {
    const store = new RedisEventStore(redis.client, `${redis.prefix}:c`, {
      maxEvents: 200,
      maxPerObject: 10,
      objectTtlSeconds: 60,
    });
    for (let i = 0; i < 1_000; i++) {
      await store.record({ type: 'Normal', reason: 'Tick', object: web, message: `tick ${i}` });
    }
    // MAXLEN ~ trims whole radix-tree nodes (100 entries by default): the length stays near the cap.
    expect(await redis.client.xlen(`${redis.prefix}:c:events`)).toBeLessThan(400);
    expect(await redis.client.xlen(`${redis.prefix}:c:events:Deployment/shop/web`)).toBeLessThan(
      120,
    );
    expect((await store.forObject(web, 1))[0]?.message).toBe('tick 999');
    const ttl = await redis.client.ttl(`${redis.prefix}:c:events:Deployment/shop/web`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });
});
