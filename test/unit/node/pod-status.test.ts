import { describe, expect, it } from 'vitest';
import type { ContainerSnapshot, PodLiveState } from '../../../src/node/live-state.js';
import type { Pod } from '../../../src/node/pod-spec.js';
import { computePodStatus, emptyMemory } from '../../../src/node/pod-status.js';

function snap(name: string, over: Partial<ContainerSnapshot> = {}): ContainerSnapshot {
  return {
    id: `id-${name}`,
    dockerName: name,
    name,
    role: 'app',
    specHash: '',
    restartCount: 0,
    previous: false,
    running: true,
    created: false,
    exitCode: 0,
    oomKilled: false,
    error: '',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: undefined,
    image: 'img',
    imageId: 'sha256:1',
    imageRef: 'docker://sha256:1',
    labels: {},
    ip: undefined,
    terminationMessage: '',
    ...over,
  };
}
const exited = (name: string, exitCode: number, over: Partial<ContainerSnapshot> = {}) =>
  snap(name, { running: false, exitCode, finishedAt: '2026-01-01T00:00:05Z', ...over });

function live(
  current: ContainerSnapshot[],
  previous: ContainerSnapshot[] = [],
  sandbox = true,
): PodLiveState {
  return {
    sandbox: sandbox ? snap('POD', { role: 'sandbox', ip: '10.1.0.7' }) : undefined,
    current: new Map(current.map((s) => [s.name, s])),
    previous: new Map(previous.map((s) => [s.name, { ...s, previous: true }])),
  };
}

function pod(restartPolicy: 'Always' | 'OnFailure' | 'Never', init = false): Pod {
  return {
    metadata: { name: 'p' },
    spec: {
      restartPolicy,
      ...(init ? { initContainers: [{ name: 'setup', image: 'img' }] } : {}),
      containers: [
        { name: 'a', image: 'img' },
        { name: 'b', image: 'img' },
      ],
    },
  };
}

const cond = (s: ReturnType<typeof computePodStatus>, type: string) =>
  s.conditions.find((c) => c.type === type)?.status;

describe('computePodStatus', () => {
  it.each([
    ['nothing created yet', pod('Always'), live([], [], false), 'Pending'],
    ['both running', pod('Always'), live([snap('a'), snap('b')]), 'Running'],
    [
      'one crashed, Always restarts it',
      pod('Always'),
      live([snap('a'), exited('b', 1)]),
      'Running',
    ],
    ['all exited 0, Never', pod('Never'), live([exited('a', 0), exited('b', 0)]), 'Succeeded'],
    ['one exited 1, Never', pod('Never'), live([exited('a', 0), exited('b', 1)]), 'Failed'],
    [
      'all exited 0, OnFailure',
      pod('OnFailure'),
      live([exited('a', 0), exited('b', 0)]),
      'Succeeded',
    ],
    [
      'one exited 1, OnFailure retries',
      pod('OnFailure'),
      live([exited('a', 0), exited('b', 1)]),
      'Running',
    ],
    ['init running', pod('Always', true), live([snap('setup', { role: 'init' })]), 'Pending'],
    [
      'init failed, Never',
      pod('Never', true),
      live([exited('setup', 1, { role: 'init' })]),
      'Failed',
    ],
  ])('%s → %s', (_label, p, state, phase) => {
    expect(computePodStatus(p, state, emptyMemory(), '192.0.2.1').phase).toBe(phase);
  });

  it('reports running containers ready without readiness probes, and the pod IP', () => {
    const s = computePodStatus(
      pod('Always'),
      live([snap('a'), snap('b')]),
      emptyMemory(),
      '192.0.2.1',
    );
    expect(s.podIP).toBe('10.1.0.7');
    expect(s.hostIP).toBe('192.0.2.1');
    expect(cond(s, 'Initialized')).toBe('True');
    expect(cond(s, 'ContainersReady')).toBe('True');
    expect(cond(s, 'Ready')).toBe('True');
    expect(s.containerStatuses[0]).toMatchObject({
      name: 'a',
      ready: true,
      started: true,
      restartCount: 0,
      containerID: 'docker://id-a',
    });
  });

  it('reports CrashLoopBackOff with the last termination and restart count', () => {
    const memory = emptyMemory();
    memory.waiting.set('b', {
      reason: 'CrashLoopBackOff',
      message: 'back-off 20s restarting failed container=b pod=p',
    });
    const s = computePodStatus(
      pod('Always'),
      live([snap('a'), exited('b', 2, { restartCount: 2 })], [exited('b', 2, { restartCount: 1 })]),
      memory,
      '',
    );
    expect(s.containerStatuses[1]).toMatchObject({
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 2, reason: 'Error' } },
      restartCount: 2,
      ready: false,
    });
    expect(cond(s, 'Ready')).toBe('False');
    expect(s.conditions.find((c) => c.type === 'Ready')?.message).toBe(
      'containers with unready status: [b]',
    );
  });

  it('reports OOMKilled and Completed terminations', () => {
    const s = computePodStatus(
      pod('Never'),
      live([exited('a', 0), exited('b', 137, { oomKilled: true })]),
      emptyMemory(),
      '',
    );
    expect(s.containerStatuses.map((c) => c.state.terminated?.reason)).toEqual([
      'Completed',
      'OOMKilled',
    ]);
  });

  it('app containers wait in PodInitializing until the init containers are done', () => {
    const s = computePodStatus(
      pod('Always', true),
      live([snap('setup', { role: 'init' })]),
      emptyMemory(),
      '',
    );
    expect(cond(s, 'Initialized')).toBe('False');
    expect(s.containerStatuses.map((c) => c.state.waiting?.reason)).toEqual([
      'PodInitializing',
      'PodInitializing',
    ]);
    expect(s.initContainerStatuses[0]?.state.running).toBeDefined();
  });

  it('a not-ready readiness probe keeps the pod unready while running', () => {
    const p = pod('Always');
    (p.spec.containers[0] as { readinessProbe?: object }).readinessProbe = {
      exec: { command: ['true'] },
    };
    const memory = emptyMemory();
    memory.probes.set('a', { started: true, ready: false, unhealthy: undefined });
    const s = computePodStatus(p, live([snap('a'), snap('b')]), memory, '');
    expect(s.phase).toBe('Running');
    expect(s.containerStatuses.map((c) => c.ready)).toEqual([false, true]);
    expect(cond(s, 'ContainersReady')).toBe('False');
  });
});

describe('computePodStatus of a pod without a sandbox', () => {
  const one: Pod = {
    metadata: { name: 'p' },
    spec: { restartPolicy: 'OnFailure', containers: [{ name: 'a', image: 'img' }] },
  };
  const labels = {
    'io.berth.pod-spec': '{}',
    'io.berth.pod-ip': '10.1.0.9',
    'io.berth.pod-start-time': '2026-01-01T00:00:00Z',
  };

  it('reports the assigned address and first start, also while its container restarts', () => {
    const running = computePodStatus(
      one,
      live([snap('a', { labels, startedAt: '2026-01-02T00:00:00Z' })], [], false),
      emptyMemory(),
      '192.0.2.1',
    );
    expect(running).toMatchObject({
      phase: 'Running',
      podIP: '10.1.0.9',
      podIPs: [{ ip: '10.1.0.9' }],
      startTime: '2026-01-01T00:00:00Z',
    });
    const backingOff = computePodStatus(
      one,
      live([], [exited('a', 1, { labels })], false),
      emptyMemory(),
      '192.0.2.1',
    );
    expect(backingOff.podIP).toBe('10.1.0.9');
  });

  it('a finished pod has no address (as a stopped sandbox has none)', () => {
    const done = computePodStatus(
      one,
      live([exited('a', 0, { labels })], [], false),
      emptyMemory(),
      '192.0.2.1',
    );
    expect(done.phase).toBe('Succeeded');
    expect(done.podIP).toBeUndefined();
  });
});
