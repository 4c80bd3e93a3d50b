import { describe, expect, it } from 'vitest';
import { ClusterZone } from '../../../src/network/dns/index.js';
import { hostView } from '../../../src/network/host-view.js';

const svc = (name: string, spec: object, status?: object) => ({
  metadata: { name, namespace: 'default' },
  spec,
  ...(status ? { status } : {}),
});
const eps = (name: string, subsets: object[]) => ({
  metadata: { name, namespace: 'default' },
  subsets,
});

const services = [
  svc(
    'web',
    { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [] },
    {
      clusterIP: '10.96.0.10',
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 },
        { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 },
      ],
      loadBalancer: { ingress: [{ ip: '127.0.0.1', ports: [] }] },
    },
  ),
  svc(
    'db',
    { clusterIP: 'None' },
    { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] },
  ),
  svc('ext', { type: 'ExternalName', externalName: 'example.org' }),
  svc('pending', { ports: [{ port: 80 }] }),
];
const endpoints = [
  eps('web', [
    {
      addresses: [{ ip: '10.244.0.2' }, { ip: '10.244.0.3' }],
      notReadyAddresses: [{ ip: '10.244.0.4' }],
      ports: [
        { name: 'http', port: 8080, protocol: 'TCP' },
        { name: 'dns', port: 5353, protocol: 'UDP' },
      ],
    },
  ]),
  eps('db', [
    {
      addresses: [{ ip: '10.244.0.7', hostname: 'db-0' }],
      notReadyAddresses: [{ ip: '10.244.0.8', hostname: 'db-1' }],
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    },
  ]),
];

describe('hostView', () => {
  it('iptables mode: proxies ClusterIPs over ready endpoints, forwards LoadBalancer ports', () => {
    const view = hostView(services, endpoints, { mode: 'iptables', hostAddress: '192.0.2.1' });
    expect(view.proxy.services).toEqual([
      {
        namespace: 'default',
        name: 'web',
        clusterIP: '10.96.0.10',
        ports: [
          { name: 'http', port: 80, protocol: 'TCP', nodePort: 30080 },
          { name: 'dns', port: 53, protocol: 'UDP', nodePort: 30053 },
        ],
        endpoints: [
          { ip: '10.244.0.2', ports: { http: 8080, dns: 5353 } },
          { ip: '10.244.0.3', ports: { http: 8080, dns: 5353 } },
        ],
        sessionAffinity: { type: 'ClientIP', timeoutSeconds: 10800 },
      },
    ]);
    expect(view.forwards).toEqual([
      {
        service: 'default/web:80',
        address: '127.0.0.1',
        port: 80,
        backends: [
          { ip: '10.244.0.2', port: 8080 },
          { ip: '10.244.0.3', port: 8080 },
        ],
      },
    ]);
    const zone = new ClusterZone('cluster.local', view.zone);
    expect(zone.lookup('web.default.svc.cluster.local', 'A')?.answers.map((a) => a.data)).toEqual([
      '10.96.0.10',
    ]);
    expect(zone.lookup('db.default.svc.cluster.local', 'A')?.answers.map((a) => a.data)).toEqual([
      '10.244.0.7',
    ]);
    expect(zone.lookup('db-0.db.default.svc.cluster.local', 'A')?.answers[0]?.data).toBe(
      '10.244.0.7',
    );
    expect(zone.lookup('db-1.db.default.svc.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
    expect(zone.lookup('_http._tcp.web.default.svc.cluster.local', 'SRV')?.answers).toEqual([
      {
        type: 'SRV',
        name: '_http._tcp.web.default.svc.cluster.local',
        ttl: 5,
        data: { priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' },
      },
    ]);
    expect(zone.lookup('ext.default.svc.cluster.local', 'A')?.answers[0]).toMatchObject({
      type: 'CNAME',
      data: 'example.org',
    });
    expect(zone.lookup('pending.default.svc.cluster.local', 'A')?.rcode).toBe('NXDOMAIN');
  });

  it('reduced (userspace) mode: no rules, names give ready pod IPs, NodePorts forwarded on the host address', () => {
    const view = hostView(services, endpoints, { mode: 'userspace', hostAddress: '192.0.2.1' });
    expect(view.proxy.services).toEqual([]);
    expect(view.forwards.map((f) => `${f.address}:${f.port}`)).toEqual([
      '192.0.2.1:30080',
      '127.0.0.1:80',
    ]);
    const zone = new ClusterZone('cluster.local', view.zone);
    expect(zone.lookup('web.default.svc.cluster.local', 'A')?.answers.map((a) => a.data)).toEqual([
      '10.244.0.2',
      '10.244.0.3',
    ]);
  });
});
