import { describe, expect, it } from 'vitest';
import { claimVolumeName } from '../../../src/node/index.js';
import type { Pod } from '../../../src/node/pod-spec.js';
import { containerOf, execIn, useNode, waitForStatus } from './node-harness.js';

const IMAGE = 'berth.local/busybox:1';
const node = useNode({ resyncMs: 60_000, backoffInitialMs: 500 });

describe('volumes', () => {
  it('mounts secret (on tmpfs), downwardAPI, projected and memory emptyDir volumes with their modes', async () => {
    node.objects.secrets.set('vol/db', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      stringData: { password: 'pw1', user: 'admin' },
    });
    node.objects.configMaps.set('vol/app', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app' },
      data: { 'app.ini': 'debug=false' },
    });
    const agent = node.newAgent();
    const p: Pod = {
      metadata: { name: 'mounts', namespace: 'vol', labels: { team: 'blue' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        volumes: [
          {
            name: 'creds',
            secret: {
              secretName: 'db',
              items: [{ key: 'password', path: 'db/password', mode: 0o400 }],
            },
          },
          {
            name: 'info',
            downwardAPI: {
              items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }],
            },
          },
          {
            name: 'all',
            projected: {
              sources: [
                { configMap: { name: 'app' } },
                { secret: { name: 'db', items: [{ key: 'user', path: 'user' }] } },
              ],
            },
          },
          { name: 'scratch', emptyDir: { medium: 'Memory' } },
        ],
        containers: [
          {
            name: 'app',
            image: IMAGE,
            command: ['sleep', '3600'],
            volumeMounts: [
              { name: 'creds', mountPath: '/etc/creds' },
              { name: 'info', mountPath: '/etc/info' },
              { name: 'all', mountPath: '/etc/all' },
              { name: 'scratch', mountPath: '/scratch' },
              { name: 'all', mountPath: '/etc/app.ini', subPath: 'app.ini' },
            ],
          },
        ],
      },
    };
    await agent.syncPod(p);
    await waitForStatus(agent, p, (s) => s.phase === 'Running');
    const run = (cmd: string) => execIn(agent, p, 'app', ['sh', '-c', cmd]);
    expect(await run('cat /etc/creds/db/password')).toBe('pw1');
    expect(await run('stat -L -c %a /etc/creds/db/password')).toBe('400\n');
    expect(await run('cat /etc/info/labels')).toBe('team="blue"');
    expect(await run('cat /etc/all/app.ini; echo; cat /etc/all/user')).toBe('debug=false\nadmin');
    expect(await run('cat /etc/app.ini')).toBe('debug=false');
    expect(await run('echo x > /etc/creds/new 2>&1 || echo read-only')).toContain('read-only');
    // Secrets and memory emptyDirs live on tmpfs on the host.
    const id = containerOf(await agent.podStatus(p), 'app').containerID?.replace(
      'docker://',
      '',
    ) as string;
    const mounts = (await node.docker.getContainer(id).inspect()).Mounts;
    for (const dest of ['/etc/creds', '/scratch', '/etc/all']) {
      expect(mounts.find((m) => m.Destination === dest)?.Source).toMatch(/^\/dev\/shm\//);
    }
    // A Secret update appears in place.
    node.objects.secrets.set('vol/db', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      stringData: { password: 'pw2', user: 'admin' },
    });
    await agent.syncPod(p);
    expect(await run('cat /etc/creds/db/password')).toBe('pw2');
    await agent.killPod(p);
  });

  it('a persistentVolumeClaim is a labelled Docker volume that outlives the pod', async () => {
    const agent = node.newAgent();
    const p: Pod = {
      metadata: { name: 'stateful', namespace: 'vol' },
      spec: {
        terminationGracePeriodSeconds: 1,
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-0' } }],
        containers: [
          {
            name: 'db',
            image: IMAGE,
            command: ['sleep', '3600'],
            volumeMounts: [{ name: 'data', mountPath: '/data' }],
          },
        ],
      },
    };
    await agent.syncPod(p);
    await waitForStatus(agent, p, (s) => s.phase === 'Running');
    await execIn(agent, p, 'db', ['sh', '-c', 'echo kept > /data/file']);
    await agent.killPod(p);
    const volume = await node.docker.getVolume(claimVolumeName(node.id, 'vol', 'data-0')).inspect();
    expect(volume.Labels).toMatchObject({
      'io.berth.instance': node.id,
      'io.berth.kind': 'PersistentVolumeClaim',
      'io.berth.name': 'data-0',
    });
    await agent.syncPod(p);
    await waitForStatus(agent, p, (s) => s.phase === 'Running');
    expect(await execIn(agent, p, 'db', ['cat', '/data/file'])).toBe('kept\n');
  });
});

describe('spec changes and events', () => {
  it('a changed container spec recreates only that container; a crash is seen through Docker events', async () => {
    const agent = node.newAgent();
    const base: Pod = {
      metadata: { name: 'changing', namespace: 'vol' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          { name: 'a', image: IMAGE, command: ['sleep', '3600'], env: [{ name: 'V', value: '1' }] },
          { name: 'b', image: IMAGE, command: ['sleep', '3600'] },
        ],
      },
    };
    await agent.start();
    const first = await agent.syncPod(base);
    await waitForStatus(agent, base, (s) => s.phase === 'Running');
    const changed: Pod = structuredClone(base);
    (changed.spec.containers[0] as { env: unknown }).env = [{ name: 'V', value: '2' }];
    const second = await agent.syncPod(changed);
    expect(containerOf(second, 'a').containerID).not.toBe(containerOf(first, 'a').containerID);
    expect(containerOf(second, 'a').restartCount).toBe(1);
    expect(containerOf(second, 'b').containerID).toBe(containerOf(first, 'b').containerID);
    expect(await execIn(agent, changed, 'a', ['sh', '-c', 'echo $V'])).toBe('2\n');
    // Kill b behind Berth's back: resync is 60 s here, so only the die event can bring it back.
    const bId = containerOf(second, 'b').containerID?.replace('docker://', '') as string;
    await node.docker.getContainer(bId).kill();
    const after = await waitForStatus(
      agent,
      changed,
      (s) => containerOf(s, 'b').restartCount === 1 && Boolean(containerOf(s, 'b').state.running),
      15_000,
    );
    expect(containerOf(after, 'b').lastState.terminated?.exitCode).toBe(137);
  });

  it('a failing postStart hook kills the container, which restarts', async () => {
    const agent = node.newAgent();
    const p: Pod = {
      metadata: { name: 'hooked', namespace: 'vol' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'app',
            image: IMAGE,
            command: ['sleep', '3600'],
            lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 7'] } } },
          },
        ],
      },
    };
    await agent.start();
    await agent.syncPod(p);
    const s = await waitForStatus(agent, p, (x) => containerOf(x, 'app').restartCount >= 1, 20_000);
    expect(containerOf(s, 'app').lastState.terminated?.exitCode).toBe(137);
  });
});
