import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../../src/node/pod-spec.js';
import { consistently } from '../../harness/eventually.js';
import { containerOf, useNode, waitForStatus } from './node-harness.js';

const IMAGE = 'berth.local/busybox:1';
const node = useNode({ backoffInitialMs: 1000 });

/** httpd serving /www/index.html on port 8080 (named "http"). */
function server(name: string, extra: Partial<Container>): Container {
  return {
    name,
    image: IMAGE,
    command: [
      'sh',
      '-c',
      'mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www',
    ],
    ports: [{ name: 'http', containerPort: 8080 }],
    ...extra,
  };
}

function pod(name: string, containers: Container[]): Pod {
  return {
    metadata: { name, namespace: 'probes' },
    spec: { terminationGracePeriodSeconds: 1, containers },
  };
}

const fast = { periodSeconds: 1, failureThreshold: 2 };

describe('probes', () => {
  it('exec, httpGet and tcpSocket probes that pass make the pod Ready and restart nothing', async () => {
    const agent = node.newAgent();
    const p = pod('passing', [
      server('web', {
        startupProbe: {
          exec: { command: ['test', '-f', '/www/index.html'] },
          periodSeconds: 1,
          failureThreshold: 10,
        },
        readinessProbe: { httpGet: { path: '/index.html', port: 'http' }, periodSeconds: 1 },
        livenessProbe: { tcpSocket: { port: 8080 }, ...fast },
      }),
    ]);
    await agent.syncPod(p);
    const ready = await waitForStatus(agent, p, (s) =>
      s.conditions.some((c) => c.type === 'Ready' && c.status === 'True'),
    );
    expect(containerOf(ready, 'web')).toMatchObject({
      ready: true,
      started: true,
      restartCount: 0,
    });
    await consistently(
      async () => {
        const later = await agent.podStatus(p);
        expect(containerOf(later, 'web')).toMatchObject({ ready: true, restartCount: 0 });
        expect(containerOf(later, 'web').containerID).toBe(containerOf(ready, 'web').containerID);
      },
      { for: 3000, what: 'the probed container to stay ready, never restarted' },
    );
  });

  it('failing readiness probes (httpGet 404, tcpSocket refused, exec non-zero) keep the pod unready without restarts', async () => {
    const agent = node.newAgent();
    const p = pod('unready', [
      server('http', {
        readinessProbe: { httpGet: { path: '/missing', port: 8080 }, periodSeconds: 1 },
      }),
      {
        name: 'tcp',
        image: IMAGE,
        command: ['sleep', '3600'],
        readinessProbe: { tcpSocket: { port: 9999 }, periodSeconds: 1 },
      },
      {
        name: 'exec',
        image: IMAGE,
        command: ['sleep', '3600'],
        readinessProbe: { exec: { command: ['false'] }, periodSeconds: 1 },
      },
    ]);
    await agent.syncPod(p);
    const status = await waitForStatus(agent, p, (s) => s.phase === 'Running');
    let later = status;
    await consistently(
      async () => {
        later = await agent.podStatus(p);
        expect(later.phase).toBe('Running');
        for (const name of ['http', 'tcp', 'exec'])
          expect(containerOf(later, name)).toMatchObject({ ready: false, restartCount: 0 });
      },
      { for: 3500, what: 'the pod to stay Running and unready, without restarts' },
    );
    const ready = later.conditions.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'ContainersNotReady' });
    expect(ready?.message).toBe('containers with unready status: [http tcp exec]');
    for (const name of ['http', 'tcp', 'exec']) {
      expect(containerOf(later, name)).toMatchObject({ ready: false, restartCount: 0 });
      expect(containerOf(later, name).containerID).toBe(containerOf(status, name).containerID);
    }
  });

  it('failing liveness probes (exec, httpGet, tcpSocket) restart their container', async () => {
    const agent = node.newAgent();
    const p = pod('unhealthy', [
      server('http', { livenessProbe: { httpGet: { path: '/missing', port: 'http' }, ...fast } }),
      {
        name: 'tcp',
        image: IMAGE,
        command: ['sleep', '3600'],
        livenessProbe: { tcpSocket: { port: 9999 }, ...fast },
      },
      {
        name: 'exec',
        image: IMAGE,
        command: ['sleep', '3600'],
        livenessProbe: { exec: { command: ['sh', '-c', 'exit 1'] }, ...fast },
      },
    ]);
    await agent.syncPod(p);
    const status = await waitForStatus(agent, p, (s) =>
      s.containerStatuses.every((c) => c.restartCount >= 1),
    );
    for (const name of ['http', 'tcp', 'exec']) {
      expect(containerOf(status, name).lastState.terminated).toBeDefined();
    }
  });

  it('the startup probe gates liveness: nothing restarts before it passes', async () => {
    const agent = node.newAgent();
    const p = pod('slow-start', [
      {
        name: 'app',
        image: IMAGE,
        command: ['sleep', '3600'],
        startupProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 60 },
        livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 1 },
      },
    ]);
    await agent.syncPod(p);
    await waitForStatus(agent, p, (s) => s.phase === 'Running');
    await consistently(
      async () =>
        expect(containerOf(await agent.podStatus(p), 'app')).toMatchObject({
          started: false,
          ready: false,
          restartCount: 0,
        }),
      { for: 3000, what: 'liveness to wait for the startup probe (no restart)' },
    );
  });
});
