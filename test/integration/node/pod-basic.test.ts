import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/node/pod-spec.js';
import { eventually } from '../../harness/eventually.js';
import { containerOf, execIn, useNode, waitForStatus } from './node-harness.js';

const IMAGE = 'berth.local/busybox:1';
const node = useNode();

describe('a pod with two containers', () => {
  // One agent for the pod, as in Berth: two agents must never manage the same pod.
  const agent = node.newAgent();
  const pod: Pod = {
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      terminationGracePeriodSeconds: 2,
      volumes: [
        { name: 'www', emptyDir: {} },
        { name: 'cfg', configMap: { name: 'web-config' } },
      ],
      containers: [
        {
          name: 'server',
          image: IMAGE,
          command: [
            'sh',
            '-c',
            'echo hello-from-server > /www/index.html && exec httpd -f -p 8080 -h /www',
          ],
          volumeMounts: [{ name: 'www', mountPath: '/www' }],
        },
        {
          name: 'client',
          image: IMAGE,
          command: ['sh', '-c', 'exec sleep 3600'],
          resources: { limits: { memory: '64Mi', cpu: '500m' } },
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
            { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
            { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
            {
              name: 'MEM_MI',
              valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } },
            },
            {
              name: 'GREETING',
              valueFrom: { configMapKeyRef: { name: 'web-config', key: 'greeting' } },
            },
            {
              name: 'PASSWORD',
              valueFrom: { secretKeyRef: { name: 'web-secret', key: 'password' } },
            },
            {
              name: 'MAYBE',
              valueFrom: { configMapKeyRef: { name: 'absent', key: 'x', optional: true } },
            },
            { name: 'COMBINED', value: '$(POD_NAME)-$(GREETING)' },
          ],
          volumeMounts: [
            { name: 'www', mountPath: '/shared', readOnly: true },
            { name: 'cfg', mountPath: '/etc/cfg' },
          ],
        },
      ],
    },
  };

  it('runs both containers in one network namespace sharing an emptyDir, with env resolved', async () => {
    node.objects.configMaps.set('shop/web-config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-config' },
      data: { greeting: 'hi' },
    });
    node.objects.secrets.set('shop/web-secret', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'web-secret' },
      data: { password: Buffer.from('s3cret').toString('base64') },
    });
    await agent.syncPod(pod);
    const status = await waitForStatus(
      agent,
      pod,
      (s) =>
        s.phase === 'Running' &&
        s.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    expect(status.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    // localhost is shared: the client reaches the server's port 8080.
    const page = await waitForOutput(() =>
      execIn(agent, pod, 'client', ['wget', '-qO-', 'http://localhost:8080/']),
    );
    expect(page.trim()).toBe('hello-from-server');
    // The emptyDir written by one container is read by the other.
    expect((await execIn(agent, pod, 'client', ['cat', '/shared/index.html'])).trim()).toBe(
      'hello-from-server',
    );
    const env = await execIn(agent, pod, 'client', ['env']);
    expect(env).toContain('POD_NAME=web\n');
    expect(env).toContain('POD_NS=shop\n');
    expect(env).toContain('APP=web\n');
    expect(env).toContain(`POD_IP=${status.podIP}\n`);
    expect(env).toContain('MEM_MI=64\n');
    expect(env).toContain('GREETING=hi\n');
    expect(env).toContain('PASSWORD=s3cret\n');
    expect(env).toContain('COMBINED=web-hi\n');
    expect(env).not.toContain('MAYBE=');
    // Docker enforces the limits.
    const id = containerOf(status, 'client').containerID?.replace('docker://', '') as string;
    const info = await node.docker.getContainer(id).inspect();
    expect(info.HostConfig.Memory).toBe(64 * 1024 * 1024);
    expect(info.HostConfig.NanoCpus).toBe(500_000_000);
    expect(info.HostConfig.RestartPolicy?.Name).toBe('no');
    expect(info.Name).toBe(`/${node.id}_shop_web_client`);
    expect(info.Config.Labels['io.berth.instance']).toBe(node.id);
  });

  it('shows a ConfigMap change in the mounted file without restarting the container', async () => {
    const before = await agent.syncPod(pod);
    const idBefore = containerOf(before, 'client').containerID;
    expect((await execIn(agent, pod, 'client', ['cat', '/etc/cfg/greeting'])).trim()).toBe('hi');
    node.objects.configMaps.set('shop/web-config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web-config' },
      data: { greeting: 'hello again' },
    });
    const after = await agent.syncPod(pod);
    expect((await execIn(agent, pod, 'client', ['cat', '/etc/cfg/greeting'])).trim()).toBe(
      'hello again',
    );
    expect(containerOf(after, 'client').containerID).toBe(idBefore);
    expect(containerOf(after, 'client').restartCount).toBe(0);
  });
});

function waitForOutput(run: () => Promise<string>): Promise<string> {
  return eventually(run, { what: 'the command to succeed' });
}

describe('pod networking', () => {
  it('puts sandboxes on the configured pod CIDR, and hostNetwork pods on the host', async () => {
    // A small subnet derived from this file's id, so parallel runs do not clash.
    const octet = Number.parseInt(node.id.slice(1, 3), 16);
    const agent = node.newAgent({ network: `${node.id}_cidr`, podCIDR: `10.250.${octet}.0/28` });
    const p: Pod = {
      metadata: { name: 'addressed', namespace: 'net' },
      spec: {
        terminationGracePeriodSeconds: 1,
        hostname: 'db-0',
        subdomain: 'db',
        hostAliases: [{ ip: '127.0.0.2', hostnames: ['alias.example'] }],
        containers: [{ name: 'app', image: IMAGE, command: ['sleep', '3600'] }],
      },
    };
    await agent.syncPod(p);
    const status = await waitForStatus(agent, p, (s) => s.phase === 'Running');
    expect(status.podIP?.startsWith(`10.250.${octet}.`)).toBe(true);
    expect((await execIn(agent, p, 'app', ['hostname'])).trim()).toBe('db-0');
    expect(await execIn(agent, p, 'app', ['cat', '/etc/hosts'])).toMatch(
      /127\.0\.0\.2\s+alias\.example/,
    );
    const network = await node.docker.getNetwork(`${node.id}_cidr`).inspect();
    expect(network.Labels).toMatchObject({
      'io.berth.managed': 'true',
      'io.berth.instance': node.id,
    });

    const host: Pod = {
      metadata: { name: 'on-host', namespace: 'net' },
      spec: {
        terminationGracePeriodSeconds: 1,
        hostNetwork: true,
        containers: [{ name: 'app', image: IMAGE, command: ['sleep', '3600'] }],
      },
    };
    await agent.syncPod(host);
    const hostStatus = await waitForStatus(agent, host, (s) => s.phase === 'Running');
    expect(hostStatus.podIP).toBe(agent.hostIP);
    await agent.killPod(host);
    await agent.killPod(p);
  });
});

describe('security and identity', () => {
  it('runs as the given user with a read-only root file system and a writable emptyDir', async () => {
    const agent = node.newAgent();
    const p: Pod = {
      metadata: { name: 'locked', namespace: 'sec' },
      spec: {
        terminationGracePeriodSeconds: 1,
        securityContext: { runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000] },
        volumes: [{ name: 'tmp', emptyDir: {} }],
        containers: [
          {
            name: 'app',
            image: IMAGE,
            command: ['sleep', '3600'],
            securityContext: {
              runAsNonRoot: true,
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              capabilities: { drop: ['ALL'] },
            },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          },
        ],
      },
    };
    await agent.syncPod(p);
    await waitForStatus(agent, p, (s) => s.phase === 'Running');
    expect(await execIn(agent, p, 'app', ['id', '-u'])).toBe('1000\n');
    expect(await execIn(agent, p, 'app', ['id', '-G'])).toMatch(/3000.*4000/);
    expect(await execIn(agent, p, 'app', ['sh', '-c', 'echo ok > /tmp/f && cat /tmp/f'])).toBe(
      'ok\n',
    );
    expect(
      await execIn(agent, p, 'app', ['sh', '-c', 'touch /rootfs-file 2>/dev/null || echo refused']),
    ).toBe('refused\n');
    expect(
      await execIn(agent, p, 'app', ['sh', '-c', 'grep NoNewPrivs /proc/self/status']),
    ).toMatch(/NoNewPrivs:\s+1/);
  });

  it('a pod of the same name with a new uid replaces the old one', async () => {
    const agent = node.newAgent();
    const make = (uid: string): Pod => ({
      metadata: { name: 'reborn', namespace: 'sec', uid },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'app', image: IMAGE, command: ['sleep', '3600'] }],
      },
    });
    await agent.syncPod(make('uid-1'));
    const old = await waitForStatus(agent, make('uid-1'), (s) => s.phase === 'Running');
    await agent.killPod(make('uid-1'), { gracePeriodSeconds: 0 }).catch(() => undefined);
    // Re-create the old one behind the agent's back by syncing, then replace it with a new uid.
    const second = node.newAgent();
    await second.syncPod(make('uid-1'));
    await waitForStatus(second, make('uid-1'), (s) => s.phase === 'Running');
    second.stop();
    await agent.syncPod(make('uid-2'));
    const fresh = await waitForStatus(agent, make('uid-2'), (s) => s.phase === 'Running');
    expect(containerOf(fresh, 'app').containerID).not.toBe(containerOf(old, 'app').containerID);
    const left = await node.docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`io.berth.instance=${node.id}`, 'io.berth.pod=reborn'] }),
    });
    expect(new Set(left.map((c) => c.Labels['io.berth.pod-uid']))).toEqual(new Set(['uid-2']));
  });
});
