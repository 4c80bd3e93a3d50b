import { describe, expect, it } from 'vitest';
import { RedisEventStore, RedisObjectStore } from '../../../src/store/index.js';
import { useRedis } from '../../harness/redis.js';
import { ControllerLab } from '../../unit/controllers/controller-lab.js';

// The controllers' unit tests run on the in-memory store; this runs a Deployment rollout and its
// deletion through the same lab on the Redis stores Berth runs on.
describe('controllers on the Redis object store', () => {
  const redis = useRedis();

  it('a Deployment makes a ReplicaSet and pods, reports available, and its deletion removes them', async () => {
    const lab = new ControllerLab({
      store: new RedisObjectStore(redis.client, redis.prefix),
      events: new RedisEventStore(redis.client, redis.prefix),
    });
    await lab.apply({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'main', image: 'berth.local/example-web:1' }] },
        },
      },
    });
    const [rs] = await lab.store.children('Deployment/shop/web');
    expect(rs?.kind).toBe('ReplicaSet');
    const rsKey = `ReplicaSet/shop/${rs?.metadata.name}`;
    const pods = await lab.pods(rsKey);
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      await lab.reportPod(`Pod/shop/${pod.metadata.name}`, { phase: 'Running', ready: true });
    }
    const deployment = await lab.store.get('Deployment/shop/web');
    expect(deployment?.status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
    expect(await lab.eventReasons('Deployment', 'shop', 'web')).toContain('ScalingReplicaSet');

    await lab.remove('Deployment/shop/web');
    expect(await lab.store.get(rsKey)).toBeUndefined();
    expect(await lab.store.list('Pod', 'shop')).toEqual([]);
    expect(lab.nodeKeys).toEqual(
      expect.arrayContaining(pods.map((p) => `Pod/shop/${p.metadata.name}`)),
    );
  });
});
