// The reduced (userspace, no-iptables) mode on real pods: names resolve to ready pod IPs,
// NodePorts are forwarded by Berth on the host address, and no iptables chain is written.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainNames } from '../../../src/network/proxy/index.js';
import type { ServiceStatus } from '../../../src/network/services/index.js';
import type { NodeAgent } from '../../../src/node/index.js';
import type { Pod } from '../../../src/node/pod-spec.js';
import { execAction } from '../../../src/node/probe-exec.js';
import { eventually, WAIT } from '../../harness/eventually.js';
import { useRedis } from '../../harness/redis.js';
import { useNode } from '../node/node-harness.js';
import { ServiceLab } from './service-lab.js';

const IMAGE = 'berth.local/busybox:1';
const node = useNode();
const redis = useRedis();
const nodePortBase = 30000 + Math.floor(Math.random() * 2600);
let lab: ServiceLab;
let agent: NodeAgent;
let client: Pod;

beforeAll(async () => {
  const host = await ServiceLab.startHost({
    docker: node.docker,
    instance: node.id,
    mode: 'userspace',
    hostAddress: '127.0.0.1',
    upstreams: [],
  });
  lab = new ServiceLab(
    redis.client,
    redis.prefix,
    host,
    ServiceLab.addressing(redis.client, redis.prefix, '10.125.0.0/24', {
      min: nodePortBase,
      max: nodePortBase + 99,
    }),
  );
  agent = node.newAgent(host.nodeOptions());
  lab.follow(agent);
  await lab.apply({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 8080 }] },
  });
  for (const [name, labels, command] of [
    ['web', { app: 'web' }, 'mkdir /w && echo R > /w/index.html && exec httpd -f -p 8080 -h /w'],
    ['client', { app: 'client' }, 'exec sleep 3600'],
  ] as const) {
    await lab.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'c', image: IMAGE, command: ['sh', '-c', command] }],
      },
    });
  }
  await lab.reconcileService('Service/default/web');
  await lab.runPod(agent, 'Pod/default/web');
  client = await lab.runPod(agent, 'Pod/default/client');
  await eventually(
    async () => {
      const e = await lab.store.get('Endpoints/default/web');
      expect(JSON.stringify(e?.subsets)).toContain('"addresses"');
      return true;
    },
    { what: 'a ready address in the Endpoints of web', timeout: WAIT.dockerTimeoutMs },
  );
  await lab.idle();
}, 120_000);

afterAll(async () => {
  agent?.stop();
  await lab?.host.down();
});

describe('reduced (userspace) mode', () => {
  it('resolves a Service name to its ready pod and serves its port', async () => {
    const status = await agent.podStatus(client);
    const id = status.containerStatuses[0]?.containerID?.replace('docker://', '') as string;
    const result = await execAction(
      node.docker,
      id,
      ['sh', '-c', 'timeout 5 wget -qO- http://web:8080/'],
      30_000,
    );
    expect(result.message.trim()).toBe('R');
  });

  it('forwards the NodePort on the host address, and writes no iptables chain', async () => {
    const status = (await lab.store.get('Service/default/web'))?.status as
      | ServiceStatus
      | undefined;
    const nodePort = status?.ports[0]?.nodePort;
    const res = await fetch(`http://127.0.0.1:${nodePort}/`);
    expect((await res.text()).trim()).toBe('R');
    expect(execFileSync('iptables-save', { encoding: 'utf8' })).not.toContain(
      new ChainNames(node.id).prefix,
    );
  });
});
