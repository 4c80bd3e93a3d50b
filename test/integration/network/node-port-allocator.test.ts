import { describe, expect, it } from 'vitest';
import { NodePortAllocator } from '../../../src/network/services/index.js';
import { useRedis } from '../../harness/redis.js';

const redis = useRedis();

describe('NodePortAllocator', () => {
  it('allocates from the range, keeps ports across instances, claims explicit ones and releases', async () => {
    const a = new NodePortAllocator(redis.client, redis.prefix, { min: 30000, max: 30002 });
    const web = await a.allocate('default/web', [{ id: 'http' }, { id: 'https' }]);
    expect([...web.values()].sort()).toEqual([30000, 30001]);
    // Another process (a restart) sees the same ports.
    const again = new NodePortAllocator(redis.client, redis.prefix, { min: 30000, max: 30002 });
    expect(await again.allocate('default/web', [{ id: 'http' }, { id: 'https' }])).toEqual(web);
    await expect(
      a.allocate('default/api', [{ id: 'http', wanted: web.get('http') as number }]),
    ).rejects.toMatchObject({ code: 'NodePortTaken', data: { owner: 'default/web' } });
    await expect(a.allocate('default/api', [{ id: 'http', wanted: 31000 }])).rejects.toMatchObject({
      code: 'NodePortOutOfRange',
    });
    expect(await a.allocate('default/api', [{ id: 'http' }])).toEqual(new Map([['http', 30002]]));
    await expect(a.allocate('default/x', [{ id: 'http' }])).rejects.toMatchObject({
      code: 'NodePortRangeFull',
    });
    // Dropping a port frees it; releasing a Service frees all of it.
    await a.allocate('default/web', [{ id: 'http' }]);
    expect(await a.allocate('default/x', [{ id: 'http' }])).toEqual(new Map([['http', 30001]]));
    await a.release('default/web');
    expect(await a.allocate('default/y', [{ id: 'p', wanted: 30000 }])).toEqual(
      new Map([['p', 30000]]),
    );
  });
});
