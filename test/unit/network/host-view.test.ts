import { describe, expect, it } from 'vitest';
import type {
  EndpointAddress,
  EndpointSubset,
} from '../../../src/manifests/generated/k8s-status.js';
import { ClusterZone } from '../../../src/network/dns/index.js';
import { hostView } from '../../../src/network/host-view.js';
import type { ServiceSpec, ServiceStatus } from '../../../src/network/services/index.js';
import type { Stored } from '../../../src/store/index.js';
import { storedMetadata } from '../../harness/stored-objects.js';

// The spec is the network layer's ServiceSpec, wider than the generated one (ExternalName,
// sessionAffinity; see src/network/services/service-types.ts): hostView reads a stored
// Service's spec as that one. The status is completed as the Service controller writes it.
const svc = (
  name: string,
  spec: ServiceSpec,
  status?: Pick<ServiceStatus, 'ports'> & Partial<ServiceStatus>,
) =>
  ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: storedMetadata({ name, namespace: 'default' }),
    spec,
    ...(status
      ? { status: { observedGeneration: 1, loadBalancer: {}, conditions: [], ...status } }
      : {}),
  }) as Stored<'Service'>;

/** A subset as the test writes it: addresses without their pod (targetRef). */
type Subset = Omit<EndpointSubset, 'addresses' | 'notReadyAddresses'> & {
  addresses?: Omit<EndpointAddress, 'targetRef'>[];
  notReadyAddresses?: Omit<EndpointAddress, 'targetRef'>[];
};
const eps = (name: string, subsets: Subset[]): Stored<'Endpoints'> => {
  const address = (a: Omit<EndpointAddress, 'targetRef'>): EndpointAddress => ({
    ...a,
    targetRef: {
      kind: 'Pod',
      name: a.hostname ?? `${name}-${a.ip}`,
      namespace: 'default',
      uid: `uid-${a.ip}`,
    },
  });
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: storedMetadata({ name, namespace: 'default' }),
    subsets: subsets.map(({ addresses, notReadyAddresses, ports }) => ({
      ports,
      ...(addresses ? { addresses: addresses.map(address) } : {}),
      ...(notReadyAddresses ? { notReadyAddresses: notReadyAddresses.map(address) } : {}),
    })),
  };
};

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
