import { describe, expect, it } from 'vitest';
import { endpointSubsets } from '../../../src/controllers/endpoint-subsets.js';
import type { ServiceSpec } from '../../../src/network/services/index.js';
import { asKind, type StoredObject } from '../../../src/store/index.js';

function pod(
  name: string,
  ip: string | undefined,
  ready: boolean,
  extra: { labels?: Record<string, string>; spec?: object; phase?: string } = {},
): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      generation: 1,
      creationTimestamp: '2024-01-01T00:00:00Z',
      labels: extra.labels ?? { app: 'web' },
    },
    spec: {
      containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }],
      ...extra.spec,
    },
    status: {
      phase: extra.phase ?? 'Running',
      ...(ip ? { podIP: ip } : {}),
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

const ref = (name: string) => ({ kind: 'Pod', name, namespace: 'default', uid: `uid-${name}` });
const web: ServiceSpec = {
  selector: { app: 'web' },
  ports: [
    { name: 'http', port: 80, targetPort: 8080 },
    { name: 'named', port: 81, targetPort: 'http' },
  ],
};

describe('endpointSubsets', () => {
  const cases: Array<{ name: string; spec: ServiceSpec; pods: StoredObject[]; want: unknown }> = [
    {
      name: 'ready and not-ready pods, numeric and named target ports, sorted by IP',
      spec: web,
      pods: [pod('b', '10.0.0.10', true), pod('a', '10.0.0.9', true), pod('c', '10.0.0.11', false)],
      want: [
        {
          addresses: [
            { ip: '10.0.0.9', targetRef: ref('a') },
            { ip: '10.0.0.10', targetRef: ref('b') },
          ],
          notReadyAddresses: [{ ip: '10.0.0.11', targetRef: ref('c') }],
          ports: [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { name: 'named', port: 8080, protocol: 'TCP' },
          ],
        },
      ],
    },
    {
      name: 'pods without an IP, finished, or not selected are left out',
      spec: web,
      pods: [
        pod('noip', undefined, false),
        pod('done', '10.0.0.2', false, { phase: 'Succeeded' }),
        pod('other', '10.0.0.3', true, { labels: { app: 'db' } }),
      ],
      want: [],
    },
    {
      name: 'a pod without the named port serves only the numeric one (its own subset)',
      spec: web,
      pods: [
        pod('a', '10.0.0.1', true),
        pod('x', '10.0.0.2', true, { spec: { containers: [{ name: 'c' }] } }),
      ],
      want: [
        {
          addresses: [{ ip: '10.0.0.1', targetRef: ref('a') }],
          ports: [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { name: 'named', port: 8080, protocol: 'TCP' },
          ],
        },
        {
          addresses: [{ ip: '10.0.0.2', targetRef: ref('x') }],
          ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        },
      ],
    },
    {
      name: 'hostname when the subdomain is the Service; publishNotReadyAddresses; default targetPort',
      spec: { selector: { app: 'web' }, ports: [{ port: 5432 }], publishNotReadyAddresses: true },
      pods: [
        pod('db-0', '10.0.0.5', false, { spec: { hostname: 'db-0', subdomain: 'db' } }),
        pod('db-1', '10.0.0.6', false, { spec: { hostname: 'db-1', subdomain: 'other' } }),
      ],
      want: [
        {
          addresses: [
            { ip: '10.0.0.5', hostname: 'db-0', targetRef: ref('db-0') },
            { ip: '10.0.0.6', targetRef: ref('db-1') },
          ],
          ports: [{ port: 5432, protocol: 'TCP' }],
        },
      ],
    },
    {
      name: 'an empty selector selects nothing',
      spec: { selector: {}, ports: [{ port: 80 }] },
      pods: [pod('a', '10.0.0.1', true)],
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const name = c.name.includes('hostname') ? 'db' : 'web';
      expect(
        endpointSubsets(
          name,
          c.spec,
          c.pods.map((p) => asKind('Pod', p)),
        ),
      ).toEqual(c.want);
    });
  }
});
