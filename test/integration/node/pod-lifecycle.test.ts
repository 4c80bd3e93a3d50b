import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../src/node/pod-spec.js';
import { useTempDir } from '../../harness/tmp.js';
import { containerOf, execIn, useNode, waitForStatus } from './node-harness.js';

const IMAGE = 'berth.local/busybox:1';
const hostDir = useTempDir('berth-hostpath-');
const node = useNode({ backoffInitialMs: 1000, hostPathAllowed: [hostDir] });

function pod(name: string, spec: Pod['spec']): Pod {
  return {
    metadata: { name, namespace: 'life' },
    spec: { terminationGracePeriodSeconds: 1, ...spec },
  };
}

describe('init containers', () => {
  it('run in order, each to completion, before the app containers', async () => {
    const agent = node.newAgent();
    const p = pod('ordered', {
      volumes: [{ name: 'work', emptyDir: {} }],
      initContainers: [
        {
          name: 'first',
          image: IMAGE,
          command: ['sh', '-c', 'sleep 1; echo first >> /work/order'],
          volumeMounts: [{ name: 'work', mountPath: '/work' }],
        },
        {
          name: 'second',
          image: IMAGE,
          command: ['sh', '-c', 'echo second >> /work/order'],
          volumeMounts: [{ name: 'work', mountPath: '/work' }],
        },
      ],
      containers: [
        {
          name: 'app',
          image: IMAGE,
          command: ['sh', '-c', 'echo app >> /work/order; exec sleep 3600'],
          volumeMounts: [{ name: 'work', mountPath: '/work' }],
        },
      ],
    });
    const pending = await agent.syncPod(p);
    expect(pending.phase).toBe('Pending');
    expect(pending.conditions.find((c) => c.type === 'Initialized')?.status).toBe('False');
    const status = await waitForStatus(agent, p, (s) => s.phase === 'Running');
    expect(status.conditions.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(containerOf(status, 'first').state.terminated?.reason).toBe('Completed');
    expect(containerOf(status, 'second').state.terminated?.exitCode).toBe(0);
    expect(await execIn(agent, p, 'app', ['cat', '/work/order'])).toBe('first\nsecond\napp\n');
  });

  it('a failing one blocks the pod: restarted with backoff, app containers never created', async () => {
    const agent = node.newAgent();
    const p = pod('blocked', {
      initContainers: [{ name: 'fails', image: IMAGE, command: ['sh', '-c', 'exit 2'] }],
      containers: [{ name: 'app', image: IMAGE, command: ['sleep', '3600'] }],
    });
    await agent.syncPod(p);
    const status = await waitForStatus(
      agent,
      p,
      (s) =>
        containerOf(s, 'fails').restartCount >= 1 &&
        containerOf(s, 'fails').state.waiting?.reason === 'CrashLoopBackOff',
    );
    expect(status.phase).toBe('Pending');
    expect(containerOf(status, 'fails').lastState.terminated?.exitCode).toBe(2);
    expect(containerOf(status, 'app').state.waiting?.reason).toBe('PodInitializing');
    expect(containerOf(status, 'app').containerID).toBeUndefined();
  });

  it('a failing one fails a pod with restartPolicy Never', async () => {
    const agent = node.newAgent();
    const p = pod('init-never', {
      restartPolicy: 'Never',
      initContainers: [{ name: 'fails', image: IMAGE, command: ['sh', '-c', 'exit 1'] }],
      containers: [{ name: 'app', image: IMAGE, command: ['sleep', '3600'] }],
    });
    await agent.syncPod(p);
    const status = await waitForStatus(agent, p, (s) => s.phase === 'Failed');
    expect(containerOf(status, 'fails').state.terminated?.reason).toBe('Error');
    expect(containerOf(status, 'app').containerID).toBeUndefined();
  });
});

describe('restarts', () => {
  it('a crashing container goes into CrashLoopBackOff with a growing restart count', async () => {
    const agent = node.newAgent();
    const p = pod('crasher', {
      containers: [{ name: 'app', image: IMAGE, command: ['sh', '-c', 'echo crashing; exit 3'] }],
    });
    await agent.syncPod(p);
    const status = await waitForStatus(
      agent,
      p,
      (s) =>
        containerOf(s, 'app').restartCount >= 2 &&
        containerOf(s, 'app').state.waiting?.reason === 'CrashLoopBackOff',
    );
    const app = containerOf(status, 'app');
    expect(app.lastState.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(app.state.waiting?.message).toMatch(
      /back-off \d+s restarting failed container=app pod=crasher/,
    );
    expect(status.phase).toBe('Running');
    expect(app.ready).toBe(false);
  });

  it('restartPolicy OnFailure does not restart a container that exited 0: the pod succeeds', async () => {
    const agent = node.newAgent();
    const p = pod('job', {
      restartPolicy: 'OnFailure',
      containers: [{ name: 'task', image: IMAGE, command: ['true'] }],
    });
    await agent.syncPod(p);
    const status = await waitForStatus(agent, p, (s) => s.phase === 'Succeeded');
    expect(containerOf(status, 'task')).toMatchObject({
      restartCount: 0,
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
    });
  });

  it('reports the termination message file, or the log tail with FallbackToLogsOnError', async () => {
    const agent = node.newAgent();
    const p = pod('messages', {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'file',
          image: IMAGE,
          command: ['sh', '-c', 'echo "bad config" > /dev/termination-log; exit 1'],
        },
        {
          name: 'custom',
          image: IMAGE,
          command: ['sh', '-c', 'echo done > /tmp/why'],
          terminationMessagePath: '/tmp/why',
        },
        {
          name: 'logs',
          image: IMAGE,
          command: ['sh', '-c', 'echo "panic: nil map"; exit 2'],
          terminationMessagePolicy: 'FallbackToLogsOnError',
        },
      ],
    });
    await agent.syncPod(p);
    const status = await waitForStatus(agent, p, (s) => s.phase === 'Failed');
    expect(containerOf(status, 'file').state.terminated).toMatchObject({
      exitCode: 1,
      message: 'bad config\n',
    });
    expect(containerOf(status, 'custom').state.terminated).toMatchObject({
      exitCode: 0,
      message: 'done\n',
    });
    expect(containerOf(status, 'logs').state.terminated).toMatchObject({
      exitCode: 2,
      message: 'panic: nil map\n',
    });
  });

  it('a memory limit breach is reported as OOMKilled', async () => {
    const agent = node.newAgent();
    const p = pod('hog', {
      restartPolicy: 'Never',
      containers: [
        {
          name: 'hog',
          image: IMAGE,
          command: ['sh', '-c', 'head -c 300m /dev/zero | tail'],
          resources: { limits: { memory: '16Mi' } },
        },
      ],
    });
    await agent.syncPod(p);
    const status = await waitForStatus(agent, p, (s) => s.phase === 'Failed');
    expect(containerOf(status, 'hog').state.terminated).toMatchObject({
      reason: 'OOMKilled',
      exitCode: 137,
    });
  });

  it('an image that cannot be pulled reports ErrImagePull, then ImagePullBackOff', async () => {
    const agent = node.newAgent();
    const p = pod('nopull', {
      containers: [{ name: 'app', image: 'berth.local/no-such-image:1' }],
    });
    const first = await agent.syncPod(p);
    expect(containerOf(first, 'app').state.waiting?.reason).toBe('ErrImagePull');
    const later = await waitForStatus(
      agent,
      p,
      (s) => containerOf(s, 'app').state.waiting?.reason === 'ImagePullBackOff',
    );
    expect(containerOf(later, 'app').state.waiting?.message).toContain(
      'berth.local/no-such-image:1',
    );
    expect(later.phase).toBe('Pending');
  });
});

describe('stopping a pod', () => {
  it('runs preStop before SIGTERM, then removes the pod', async () => {
    const agent = node.newAgent();
    const log = path.join(hostDir, 'stop.log');
    const p = pod('stopper', {
      terminationGracePeriodSeconds: 10,
      volumes: [{ name: 'out', hostPath: { path: hostDir, type: 'Directory' } }],
      containers: [
        {
          name: 'app',
          image: IMAGE,
          command: [
            'sh',
            '-c',
            'trap "echo sigterm >> /out/stop.log; exit 0" TERM; while true; do sleep 0.2; done',
          ],
          volumeMounts: [{ name: 'out', mountPath: '/out' }],
          lifecycle: {
            preStop: { exec: { command: ['sh', '-c', 'echo prestop >> /out/stop.log'] } },
          },
        },
      ],
    });
    await agent.syncPod(p);
    await waitForStatus(agent, p, (s) => s.phase === 'Running');
    await agent.killPod(p);
    expect(readFileSync(log, 'utf8')).toBe('prestop\nsigterm\n');
    const left = await node.docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`io.berth.instance=${node.id}`, 'io.berth.pod=stopper'] }),
    });
    expect(left).toEqual([]);
  });

  it('refuses a hostPath outside policy.hostPathAllowed', async () => {
    const agent = node.newAgent();
    const p = pod('escape', {
      volumes: [{ name: 'etc', hostPath: { path: '/etc' } }],
      containers: [
        {
          name: 'app',
          image: IMAGE,
          command: ['sleep', '3600'],
          volumeMounts: [{ name: 'etc', mountPath: '/host-etc' }],
        },
      ],
    });
    const status = await agent.syncPod(p);
    expect(containerOf(status, 'app').state.waiting?.message).toMatch(
      /hostPath \/etc .* not under policy.hostPathAllowed/,
    );
    expect(containerOf(status, 'app').containerID).toBeUndefined();
  });
});
