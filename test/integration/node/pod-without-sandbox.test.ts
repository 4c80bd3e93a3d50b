import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/node/pod-spec.js';
import { eventually } from '../../harness/eventually.js';
import { containerOf, execIn, useNode, waitForStatus } from './node-harness.js';

// network.podSandbox `whenNeeded`: a one-container pod runs as that container alone, with the
// address Berth assigned it, and must keep what a sandbox gives a pod (kubelet semantics): the
// same IP across container restarts, its hostname and DNS, emptyDir content, hostPorts.

const IMAGE = 'berth.local/busybox:1';
const node = useNode({ backoffInitialMs: 500 });
// A subnet derived from this file's id, so parallel runs do not clash.
const octet = Number.parseInt(node.id.slice(1, 3), 16);
const network = `${node.id}_alone`;
const subnet = `10.251.${octet}.0/27`;
const agent = node.newAgent({ network, podCIDR: subnet, podSandbox: 'whenNeeded' });

function pod(name: string, spec: Partial<Pod['spec']>): Pod {
  return {
    metadata: { name, namespace: 'alone', uid: `${node.id}-${name}` },
    spec: { terminationGracePeriodSeconds: 1, containers: [], ...spec },
  };
}

/** Every container Docker has of the pod: role, name, id, its actual IP on the network, labels. */
async function onDocker(p: Pod) {
  const list = await node.docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`io.berth.pod-uid=${p.metadata.uid}`] }),
  });
  return Promise.all(
    list.map(async (c) => {
      const info = await node.docker.getContainer(c.Id).inspect();
      return {
        id: c.Id,
        role: c.Labels['io.berth.container-role'],
        name: c.Names[0]?.replace(/^\//, '') ?? '',
        running: info.State.Running,
        ip: info.NetworkSettings.Networks[network]?.IPAddress ?? '',
        labelIP: c.Labels['io.berth.pod-ip'],
      };
    }),
  );
}

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

describe('a pod with one container and network.podSandbox whenNeeded', () => {
  const hostPort = 20_000 + Math.floor(Math.random() * 9_000);
  const web = pod('web', {
    hostname: 'web-0',
    subdomain: 'webs',
    hostAliases: [{ ip: '127.0.0.2', hostnames: ['alias.example'] }],
    volumes: [{ name: 'data', emptyDir: {} }],
    containers: [
      {
        name: 'app',
        image: IMAGE,
        command: ['sh', '-c', 'echo served > /www/index.html; exec httpd -f -p 8080 -h /www'],
        ports: [{ containerPort: 8080, hostPort }],
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
          { name: 'data', mountPath: '/www', subPath: 'www' },
        ],
      },
    ],
  });

  it('runs as that one container: no sandbox, its IP in the pod CIDR, hostname, DNS, hostPort', async () => {
    // A pod started before web and gone after it leaves a lower address free: Docker's own
    // allocation would hand it to web's next container.
    const early = pod('early', {
      containers: [{ name: 'app', image: IMAGE, command: ['sleep', '3600'] }],
    });
    await agent.syncPod(early);
    const earlyIP = (await waitForStatus(agent, early, (s) => s.phase === 'Running')).podIP;
    await agent.syncPod(web);
    const status = await waitForStatus(agent, web, (s) => s.phase === 'Running');
    await agent.killPod(early);
    expect(await onDocker(early)).toEqual([]);
    expect(status.podIP).not.toBe(earlyIP);
    const containers = await onDocker(web);
    expect(containers.map((c) => [c.role, c.name])).toEqual([['app', `${node.id}_alone_web_app`]]);
    const [app] = containers;
    expect(status.podIP).toMatch(new RegExp(`^10\\.251\\.${octet}\\.\\d+$`));
    expect(app?.ip).toBe(status.podIP);
    expect(app?.labelIP).toBe(status.podIP);
    expect(status.startTime).toBeDefined();
    expect((await execIn(agent, web, 'app', ['hostname'])).trim()).toBe('web-0');
    const hosts = await execIn(agent, web, 'app', ['cat', '/etc/hosts']);
    expect(hosts).toMatch(/127\.0\.0\.2\s+alias\.example/);
    expect(hosts).toContain(`${status.podIP}\tweb-0.webs.alone.svc.cluster.local`);
    const resolv = await execIn(agent, web, 'app', ['cat', '/etc/resolv.conf']);
    expect(resolv).toMatch(/search alone\.svc\.cluster\.local svc\.cluster\.local cluster\.local/);
    expect(resolv).toMatch(/options.*ndots:5/);
    // The hostPort is published on the host.
    expect(await eventually(() => httpGet(hostPort), { what: 'the hostPort' })).toBe('served\n');
  });

  it('keeps its IP, hostname and emptyDir across a container restart', async () => {
    const before = await agent.podStatus(web);
    await execIn(agent, web, 'app', ['sh', '-c', 'echo kept > /data/file']);
    const [first] = await onDocker(web);
    await node.docker.getContainer(first?.id ?? '').kill();
    const after = await waitForStatus(
      agent,
      web,
      (s) => s.phase === 'Running' && containerOf(s, 'app').restartCount === 1,
    );
    expect(containerOf(after, 'app').containerID).not.toBe(containerOf(before, 'app').containerID);
    expect(after.podIP).toBe(before.podIP);
    expect(after.startTime).toBe(before.startTime);
    const containers = await onDocker(web);
    const current = containers.find((c) => c.running);
    expect(current?.ip).toBe(before.podIP);
    // The exited one is kept for logs --previous; still no sandbox.
    expect(containers.map((c) => c.name).sort()).toEqual([
      `${node.id}_alone_web_app`,
      `${node.id}_alone_web_app_previous`,
    ]);
    expect((await execIn(agent, web, 'app', ['cat', '/data/file'])).trim()).toBe('kept');
    expect((await execIn(agent, web, 'app', ['hostname'])).trim()).toBe('web-0');
    expect(await eventually(() => httpGet(hostPort), { what: 'the hostPort' })).toBe('served\n');
  });

  it('a pod-level change (hostname) replaces the container as a restart, same IP', async () => {
    const before = await agent.podStatus(web);
    const changed: Pod = { ...web, spec: { ...web.spec, hostname: 'web-1' } };
    await agent.syncPod(changed);
    const after = await waitForStatus(
      agent,
      changed,
      (s) => s.phase === 'Running' && containerOf(s, 'app').restartCount === 2,
    );
    expect(after.podIP).toBe(before.podIP);
    expect((await execIn(agent, changed, 'app', ['hostname'])).trim()).toBe('web-1');
    web.spec = changed.spec;
  });

  it('a pod with two containers still gets a sandbox, with an address of its own', async () => {
    const pair = pod('pair', {
      containers: [
        { name: 'a', image: IMAGE, command: ['sleep', '3600'] },
        { name: 'b', image: IMAGE, command: ['sleep', '3600'] },
      ],
    });
    await agent.syncPod(pair);
    const status = await waitForStatus(agent, pair, (s) => s.phase === 'Running');
    const containers = await onDocker(pair);
    expect(containers.map((c) => c.role).sort()).toEqual(['app', 'app', 'sandbox']);
    const sandbox = containers.find((c) => c.role === 'sandbox');
    expect(sandbox?.ip).toBe(status.podIP);
    expect(sandbox?.labelIP).toBe(status.podIP);
    expect(status.podIP).not.toBe((await agent.podStatus(web)).podIP);
    await agent.killPod(pair);
    expect(await onDocker(pair)).toEqual([]);
  });

  it('after a Berth restart: adopted as it runs, and new pods never get its address', async () => {
    const running = await agent.podStatus(web);
    agent.stop();
    const next = node.newAgent({ network, podCIDR: subnet, podSandbox: 'whenNeeded' });
    const adopted = (await next.listPods()).find((p) => p.metadata.uid === web.metadata.uid);
    expect(adopted?.spec.hostname).toBe('web-1');
    await next.start();
    const status = await waitForStatus(next, web, (s) => s.phase === 'Running');
    expect(containerOf(status, 'app').containerID).toBe(containerOf(running, 'app').containerID);
    expect(status.podIP).toBe(running.podIP);
    // Fill most of the /27 (29 usable addresses besides the gateway): none is web's.
    const others = Array.from({ length: 5 }, (_, i) =>
      pod(`other-${i}`, {
        containers: [{ name: 'app', image: IMAGE, command: ['sleep', '3600'] }],
      }),
    );
    await Promise.all(others.map((p) => next.syncPod(p)));
    const ips = await Promise.all(
      others.map(async (p) => (await waitForStatus(next, p, (s) => s.phase === 'Running')).podIP),
    );
    expect(new Set(ips).size).toBe(others.length);
    expect(ips).not.toContain(running.podIP);
    for (const p of others) expect((await onDocker(p))[0]?.ip).toBe(ips[others.indexOf(p)]);
    await Promise.all([...others, web].map((p) => next.killPod(p)));
    expect(await onDocker(web)).toEqual([]);
  });
});
