import { describe, expect, it } from 'vitest';
import { ClusterIPAllocator } from '../../../src/network/services/index.js';
import { useRedis } from '../../harness/redis.js';

describe('ClusterIPAllocator (real Redis)', () => {
  const redis = useRedis();
  let n = 0;
  const allocator = (cidr = '10.96.0.0/16') =>
    new ClusterIPAllocator(redis.client, `${redis.prefix}:${n++}`, cidr);

  it('gives each Service its own address, the same one every time, skipping reserved addresses', async () => {
    const a = allocator();
    const web = await a.allocate('default/web');
    expect(web).toBe('10.96.0.2');
    expect(await a.allocate('default/api')).toBe('10.96.0.3');
    expect(await a.allocate('default/web')).toBe(web);
    // A new allocator on the same Redis (a Berth restart) sees the same addresses.
    const restarted = new ClusterIPAllocator(
      redis.client,
      `${redis.prefix}:${n - 1}`,
      '10.96.0.0/16',
    );
    expect(await restarted.allocate('default/web')).toBe(web);
    expect(Object.fromEntries(await restarted.all())).toEqual({
      'default/web': '10.96.0.2',
      'default/api': '10.96.0.3',
    });
  });

  it('honours spec.clusterIP, and refuses one another Service holds or one outside the range', async () => {
    const a = allocator();
    expect(await a.allocate('default/dns', '10.96.0.10')).toBe('10.96.0.10');
    await expect(a.allocate('shop/dns', '10.96.0.10')).rejects.toMatchObject({
      code: 'ClusterIPTaken',
      message:
        'spec.clusterIP 10.96.0.10 of Service shop/dns is already used by Service default/dns',
    });
    await expect(a.allocate('shop/x', '10.97.0.1')).rejects.toMatchObject({
      code: 'ClusterIPOutOfRange',
    });
    await expect(a.allocate('shop/x', '10.96.0.1')).rejects.toMatchObject({
      code: 'ClusterIPOutOfRange',
    });
    // Changing spec.clusterIP moves the Service and frees its old address.
    expect(await a.allocate('default/dns', '10.96.0.11')).toBe('10.96.0.11');
    expect(await a.allocate('shop/dns', '10.96.0.10')).toBe('10.96.0.10');
  });

  it('never hands one address to two Services, however many allocate at once', async () => {
    const a = allocator();
    const ips = await Promise.all(Array.from({ length: 300 }, (_, i) => a.allocate(`ns/svc-${i}`)));
    expect(new Set(ips).size).toBe(300);
  });

  it('reuses released addresses, and says when the range is full', async () => {
    const a = allocator('10.96.0.0/29'); // .2 to .6 are usable
    const ips = [];
    for (let i = 0; i < 5; i++) ips.push(await a.allocate(`ns/s${i}`));
    expect(ips).toEqual(['10.96.0.2', '10.96.0.3', '10.96.0.4', '10.96.0.5', '10.96.0.6']);
    await expect(a.allocate('ns/s5')).rejects.toMatchObject({ code: 'ClusterIPRangeFull' });
    await a.release('ns/s1');
    expect(await a.allocate('ns/s5')).toBe('10.96.0.3');
  });
});
