import { describe, expect, it } from 'vitest';
import { ClusterZone } from '../../../src/network/dns/index.js';

const zone = new ClusterZone('cluster.local', [
  {
    namespace: 'default',
    name: 'web',
    clusterIP: '10.96.0.10',
    ports: [{ name: 'http', port: 80 }],
    endpoints: [{ ip: '10.244.0.5', ready: true }],
  },
  {
    namespace: 'shop',
    name: 'db',
    clusterIP: 'None',
    ports: [{ name: 'pg', port: 5432 }],
    endpoints: [
      { ip: '10.244.0.7', ready: true, hostname: 'db-0' },
      { ip: '10.244.0.8', ready: false, hostname: 'db-1' },
      { ip: '10.244.0.9', ready: true },
    ],
  },
  { namespace: 'shop', name: 'mail', externalName: 'smtp.example.com', ports: [], endpoints: [] },
]);

describe('ClusterZone', () => {
  it.each([
    ['web.default.svc.cluster.local', 'A', 'NOERROR', ['10.96.0.10']],
    ['WEB.default.svc.cluster.local.', 'A', 'NOERROR', ['10.96.0.10']],
    ['web.default.svc.cluster.local', 'AAAA', 'NOERROR', []],
    ['db.shop.svc.cluster.local', 'A', 'NOERROR', ['10.244.0.7', '10.244.0.9']],
    ['db-0.db.shop.svc.cluster.local', 'A', 'NOERROR', ['10.244.0.7']],
    ['db-1.db.shop.svc.cluster.local', 'A', 'NXDOMAIN', []],
    ['10-244-0-9.db.shop.svc.cluster.local', 'A', 'NOERROR', ['10.244.0.9']],
    ['mail.shop.svc.cluster.local', 'A', 'NOERROR', ['smtp.example.com']],
    ['nope.default.svc.cluster.local', 'A', 'NXDOMAIN', []],
    ['web.other.svc.cluster.local', 'A', 'NXDOMAIN', []],
    ['cluster.local', 'A', 'NXDOMAIN', []],
  ])('%s %s → %s %j', (name, type, rcode, data) => {
    const result = zone.lookup(name, type);
    expect(result?.rcode).toBe(rcode);
    expect(result?.answers.map((a) => a.data)).toEqual(data);
  });

  it('publishes SRV records of named ports: the service name, or each ready pod of a headless one', () => {
    expect(
      zone.lookup('_http._tcp.web.default.svc.cluster.local', 'SRV')?.answers.map((a) => a.data),
    ).toEqual([{ priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' }]);
    expect(
      zone
        .lookup('_pg._tcp.db.shop.svc.cluster.local', 'SRV')
        ?.answers.map((a) => (a.data as { target: string }).target),
    ).toEqual(['db-0.db.shop.svc.cluster.local', '10-244-0-9.db.shop.svc.cluster.local']);
    expect(zone.lookup('_http._udp.web.default.svc.cluster.local', 'SRV')?.rcode).toBe('NXDOMAIN');
  });

  it('answers with a short TTL and leaves other names to the upstream resolvers', () => {
    expect(zone.lookup('web.default.svc.cluster.local', 'A')?.answers[0]?.ttl).toBe(5);
    expect(zone.lookup('example.com', 'A')).toBeNull();
    expect(zone.lookup('cluster.local.example.com', 'A')).toBeNull();
  });
});
