// Services end to end on real Docker pods: the Service controller over a real Redis object
// store, pods run by a NodeAgent, the HostNetwork's DNS on the cluster network's gateway and
// its iptables proxy. Busybox clients resolve and fetch as a user's pods would.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostNetwork } from '../../../src/network/host-network.js';
import { ChainNames } from '../../../src/network/proxy/index.js';
import type { ServiceStatus } from '../../../src/network/services/index.js';
import type { NodeAgent } from '../../../src/node/index.js';
import type { Container, Pod } from '../../../src/node/pod-spec.js';
import { execAction } from '../../../src/node/probe-exec.js';
import { eventually, WAIT } from '../../harness/eventually.js';
import { useRedis } from '../../harness/redis.js';
import { useNode } from '../node/node-harness.js';
import { ServiceLab } from './service-lab.js';

const IMAGE = 'berth.local/busybox:1';
const node = useNode();
const redis = useRedis();
const serviceCIDR = `10.124.${Math.floor(Math.random() * 256)}.0/24`;
const nodePortBase = 30000 + Math.floor(Math.random() * 2600);
const lbPort = 20000 + Math.floor(Math.random() * 5000);
let lab: ServiceLab;
let agent: NodeAgent;
const pods = new Map<string, Pod>();

/** busybox httpd answering `text` on 8080 (named `http`), Ready while /w/ready exists. */
function web(text: string, extra: Partial<Container> = {}): Container {
  return {
    name: 'web',
    image: IMAGE,
    command: [
      'sh',
      '-c',
      `mkdir -p /w && echo ${text} > /w/index.html && echo ok > /w/ready && exec httpd -f -p 8080 -h /w`,
    ],
    ports: [{ name: 'http', containerPort: 8080 }],
    readinessProbe: {
      httpGet: { path: '/ready', port: 'http' },
      periodSeconds: 1,
      failureThreshold: 1,
    },
    ...extra,
  };
}

function podInput(namespace: string, name: string, labels: Record<string, string>, spec: object) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { terminationGracePeriodSeconds: 1, ...spec },
  };
}

function serviceInput(namespace: string, name: string, spec: object) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec };
}

/** Runs `sh -c command` in a pod's container; output and exit status, never throws. */
async function sh(podKey: string, command: string): Promise<{ ok: boolean; out: string }> {
  const status = await agent.podStatus(pods.get(podKey) as Pod);
  const id = status.containerStatuses[0]?.containerID?.replace('docker://', '') as string;
  const result = await execAction(node.docker, id, ['sh', '-c', command], 30_000);
  return { ok: result.success, out: result.message };
}

/** `count` sequential fetches of `url` from the client pod: the body of each, or FAILED. */
async function fetches(url: string, count: number): Promise<string[]> {
  const { out } = await sh(
    'Pod/default/client',
    `for i in $(seq ${count}); do timeout 5 wget -qO- ${url} 2>&1 || echo FAILED; done`,
  );
  return out.split('\n').filter((l) => l !== '');
}

async function statusOf(key: string): Promise<ServiceStatus> {
  return (await lab.store.get(key))?.status as ServiceStatus;
}

/** Polls `probe` until `ok` holds of its value; the timeout names the last value seen. */
function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  return eventually(
    async () => {
      const value = await probe();
      if (!ok(value)) throw new Error(`last: ${JSON.stringify(value)}`);
      return { value };
    },
    { what, timeout: WAIT.dockerTimeoutMs },
  ).then((r) => r.value);
}

function readyPod(key: string) {
  return until(
    `${key} Ready`,
    () => lab.store.get(key),
    (p) =>
      (
        (p?.status as { conditions?: Array<{ type: string; status: string }> })?.conditions ?? []
      ).some((c) => c.type === 'Ready' && c.status === 'True'),
  );
}

beforeAll(async () => {
  const host = await ServiceLab.startHost({
    docker: node.docker,
    instance: node.id,
    upstreams: [],
  });
  const addressing = ServiceLab.addressing(redis.client, redis.prefix, serviceCIDR, {
    min: nodePortBase,
    max: nodePortBase + 99,
  });
  lab = new ServiceLab(redis.client, redis.prefix, host, addressing);
  agent = node.newAgent(host.nodeOptions());
  lab.follow(agent);

  await lab.apply(
    serviceInput('default', 'web', {
      type: 'NodePort',
      selector: { app: 'web' },
      ports: [
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'alt', port: 81, targetPort: 'http' },
      ],
    }),
  );
  await lab.apply(
    serviceInput('other', 'web', {
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 8080 }],
    }),
  );
  await lab.apply(
    serviceInput('default', 'db', {
      clusterIP: 'None',
      selector: { app: 'db' },
      ports: [{ name: 'http', port: 8080 }],
    }),
  );
  await lab.apply(
    serviceInput('default', 'nobody', { selector: { app: 'nobody' }, ports: [{ port: 80 }] }),
  );
  await lab.apply(
    serviceInput('default', 'lb', {
      type: 'LoadBalancer',
      selector: { app: 'web' },
      ports: [{ name: 'http', port: lbPort, targetPort: 'http' }],
    }),
  );
  const specs: Array<[string, string, Record<string, string>, object]> = [
    ['default', 'web-a', { app: 'web' }, { containers: [web('A')] }],
    ['default', 'web-b', { app: 'web' }, { containers: [web('B')] }],
    ['other', 'web-o', { app: 'web' }, { containers: [web('O')] }],
    [
      'default',
      'db-0',
      { app: 'db' },
      { hostname: 'db-0', subdomain: 'db', containers: [web('D0')] },
    ],
    [
      'default',
      'db-1',
      { app: 'db' },
      {
        hostname: 'db-1',
        subdomain: 'db',
        containers: [
          web('D1', { command: ['sh', '-c', 'mkdir -p /w && exec httpd -f -p 8080 -h /w'] }),
        ],
      },
    ],
    [
      'default',
      'client',
      { app: 'client' },
      { containers: [{ name: 'c', image: IMAGE, command: ['sleep', '3600'] }] },
    ],
  ];
  for (const [ns, name, labels, spec] of specs) await lab.apply(podInput(ns, name, labels, spec));
  for (const key of [
    'Service/default/web',
    'Service/other/web',
    'Service/default/db',
    'Service/default/nobody',
    'Service/default/lb',
  ])
    await lab.reconcileService(key);
  await Promise.all(
    specs.map(async ([ns, name]) => {
      const key = `Pod/${ns}/${name}`;
      pods.set(key, await lab.runPod(agent, key));
    }),
  );
  for (const key of [
    'Pod/default/web-a',
    'Pod/default/web-b',
    'Pod/other/web-o',
    'Pod/default/db-0',
    'Pod/default/client',
  ])
    await readyPod(key);
  await lab.idle();
}, 120_000);

afterAll(async () => {
  agent?.stop();
  await lab?.host.down();
  expect(execFileSync('iptables-save', { encoding: 'utf8' })).not.toContain(
    new ChainNames(node.id).prefix,
  );
});

describe('Services on real pods', () => {
  it('gives Services a ClusterIP from the service CIDR and NodePorts from the range', async () => {
    const s = await statusOf('Service/default/web');
    expect(s.clusterIP).toMatch(
      new RegExp(`^${serviceCIDR.split('.').slice(0, 3).join('\\.')}\\.`),
    );
    for (const p of s.ports) {
      expect(p.nodePort).toBeGreaterThanOrEqual(nodePortBase);
      expect(p.nodePort).toBeLessThan(nodePortBase + 100);
    }
    expect((await statusOf('Service/default/db')).clusterIP).toBe('None');
  });

  it('resolves web.default.svc.cluster.local and balances port 80 over both ready pods on 8080', async () => {
    const bodies = await fetches('http://web.default.svc.cluster.local/', 20);
    expect(new Set(bodies)).toEqual(new Set(['A', 'B']));
  });

  it('resolves the short name `web` through the search path, and a named targetPort', async () => {
    expect(new Set(await fetches('http://web/', 10))).toEqual(new Set(['A', 'B']));
    expect(new Set(await fetches('http://web:81/', 10))).toEqual(new Set(['A', 'B']));
  });

  it('reaches another namespace as `web.other`', async () => {
    expect(await fetches('http://web.other/', 3)).toEqual(['O', 'O', 'O']);
  });

  it('refuses at once a Service without a ready endpoint', async () => {
    const [line] = await fetches('http://nobody/', 1);
    expect(line).toMatch(/refused/i);
  });

  it('reaches the NodePort from the host on the cluster gateway', async () => {
    const { nodePort } = (await statusOf('Service/default/web')).ports[0] as { nodePort: number };
    const bodies = new Set<string>();
    for (let i = 0; i < 10; i += 1) {
      const res = await fetch(`http://${lab.host.gateway}:${nodePort}/`);
      bodies.add((await res.text()).trim());
    }
    expect(bodies).toEqual(new Set(['A', 'B']));
  });

  it('reaches a LoadBalancer Service on the host address', async () => {
    const res = await fetch(`http://127.0.0.1:${lbPort}/`);
    expect(['A', 'B']).toContain((await res.text()).trim());
  });

  it('headless DNS lists ready pods only, and names a pod by hostname.subdomain', async () => {
    const ip = async (key: string) =>
      ((await lab.store.get(key))?.status as { podIP?: string } | undefined)?.podIP ?? 'no IP';
    const { out } = await sh('Pod/default/client', 'nslookup db.default.svc.cluster.local');
    expect(out).toContain(await ip('Pod/default/db-0'));
    expect(out).not.toContain(await ip('Pod/default/db-1'));
    const one = await sh('Pod/default/client', 'nslookup db-0.db.default.svc.cluster.local');
    expect(one.out).toContain(await ip('Pod/default/db-0'));
    expect((await fetches('http://db-0.db:8080/', 1))[0]).toBe('D0');
  });

  it('takes a pod whose readiness probe fails out of rotation', async () => {
    await sh('Pod/default/web-b', 'rm /w/ready');
    await until(
      'web-b not ready in the Endpoints',
      () => lab.store.get('Endpoints/default/web'),
      (e) =>
        JSON.stringify(
          (e?.subsets as Array<{ notReadyAddresses?: unknown[] }>)?.map(
            (s) => s.notReadyAddresses ?? [],
          ),
        ).includes('web-b'),
    );
    await lab.idle();
    expect(new Set(await fetches('http://web/', 20))).toEqual(new Set(['A']));
    await sh('Pod/default/web-b', 'echo ok > /w/ready');
  });

  it('keeps ClusterIPs across a restart of Berth', async () => {
    await until(
      'web-b ready again',
      () => lab.store.get('Endpoints/default/web'),
      (e) =>
        JSON.stringify(e?.subsets).includes('web-b') &&
        !JSON.stringify(e?.subsets).includes('notReady'),
    );
    const before = (await statusOf('Service/default/web')).clusterIP;
    // A new process: new HostNetwork (same cluster network), new allocators; Redis survives.
    await lab.host.stop();
    lab.host = new HostNetwork({ docker: node.docker, instance: node.id, upstreams: [] });
    await lab.host.start();
    lab.deps.services = ServiceLab.addressing(redis.client, redis.prefix, serviceCIDR, {
      min: nodePortBase,
      max: nodePortBase + 99,
    });
    await redis.client.del(`${redis.prefix}:objstatus:Service/default/web`);
    await lab.reconcileService('Service/default/web');
    expect((await statusOf('Service/default/web')).clusterIP).toBe(before);
    expect(new Set(await fetches('http://web.default.svc.cluster.local/', 10))).toEqual(
      new Set(['A', 'B']),
    );
  });
});
