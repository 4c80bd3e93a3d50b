import { describe, expect, it } from 'vitest';
import { objectHealth } from '../../../src/health/index.js';
import { ControllerLab } from './controller-lab.js';

// The DaemonSet, PersistentVolumeClaim and Namespace controllers against the in-memory object
// store. The lab's reportPod stands in for the node role.
describe('DaemonSet controller (node role simulated)', () => {
  const KEY = 'DaemonSet/infra/agent';
  const daemonSet = (image: string, updateStrategy?: Record<string, unknown>) => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'infra' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'main', image }] },
      },
      ...(updateStrategy ? { updateStrategy } : {}),
    },
  });

  it('runs exactly one pod on the host and reports it available', async () => {
    const lab = new ControllerLab();
    await lab.apply(daemonSet('berth.local/busybox:1'));
    const [pod, ...rest] = await lab.podNames(KEY);
    expect(rest).toEqual([]);
    expect(pod).toMatch(/^agent-[a-z0-9]{5}$/);
    await lab.reportPod(`Pod/infra/${pod}`, { phase: 'Running', ready: true });
    const ds = await lab.store.get(KEY);
    expect(ds?.status).toEqual({
      observedGeneration: 1,
      desiredNumberScheduled: 1,
      currentNumberScheduled: 1,
      numberMisscheduled: 0,
      numberReady: 1,
      numberAvailable: 1,
      numberUnavailable: 0,
      updatedNumberScheduled: 1,
    });
    expect(objectHealth(ds as never).status).toBe('Healthy');
  });

  it('RollingUpdate stops the old pod, then starts the new one once the old is gone', async () => {
    const lab = new ControllerLab();
    await lab.apply(daemonSet('berth.local/busybox:1'));
    const [old] = await lab.podNames(KEY);
    await lab.reportPod(`Pod/infra/${old}`, { phase: 'Running', ready: true });

    lab.finishTerminations = false;
    await lab.apply(daemonSet('berth.local/example-web:1'));
    expect(await lab.podNames(KEY)).toEqual([old]);
    expect((await lab.store.get(`Pod/infra/${old}`))?.metadata.deletionTimestamp).toBeDefined();
    expect(objectHealth((await lab.store.get(KEY)) as never).status).toBe('Progressing');
    // No new pod while the old one terminates on the host.
    await lab.advance(5_000);
    expect(await lab.podNames(KEY)).toEqual([old]);
    await lab.finishTermination(`Pod/infra/${old}`);
    const [fresh] = await lab.podNames(KEY);
    expect(fresh).not.toBe(old);
    const spec = (await lab.store.get(`Pod/infra/${fresh}`))?.spec as {
      containers: Array<{ image: string }>;
    };
    expect(spec.containers[0]?.image).toBe('berth.local/example-web:1');
  });

  it('with maxSurge the new pod starts first and the old one goes once it is ready', async () => {
    const lab = new ControllerLab();
    const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
    await lab.apply(daemonSet('berth.local/busybox:1', strategy));
    const [old] = await lab.podNames(KEY);
    await lab.reportPod(`Pod/infra/${old}`, { phase: 'Running', ready: true });
    await lab.apply(daemonSet('berth.local/example-web:1', strategy));
    const both = await lab.podNames(KEY);
    expect(both).toHaveLength(2);
    const fresh = both.find((n) => n !== old) as string;
    await lab.reportPod(`Pod/infra/${fresh}`, { phase: 'Running', ready: true });
    expect(await lab.podNames(KEY)).toEqual([fresh]);
  });

  it('OnDelete keeps the old pod until it is deleted', async () => {
    const lab = new ControllerLab();
    await lab.apply(daemonSet('berth.local/busybox:1', { type: 'OnDelete' }));
    const [old] = await lab.podNames(KEY);
    await lab.apply(daemonSet('berth.local/example-web:1', { type: 'OnDelete' }));
    expect(await lab.podNames(KEY)).toEqual([old]);
    expect((await lab.store.get(KEY))?.status).toMatchObject({ updatedNumberScheduled: 0 });
    lab.finishTerminations = false;
    await lab.remove(`Pod/infra/${old}`);
    await lab.advance(5_000);
    expect(await lab.podNames(KEY)).toEqual([old]);
    await lab.finishTermination(`Pod/infra/${old}`);
    await lab.apply(daemonSet('berth.local/example-web:1', { type: 'OnDelete' }));
    const [fresh] = await lab.podNames(KEY);
    expect(fresh).not.toBe(old);
  });
});

describe('PersistentVolumeClaim and Namespace controllers', () => {
  it('a claim is Bound with what it asked for; a namespace is Active', async () => {
    const lab = new ControllerLab();
    await lab.apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'cache', namespace: 'infra' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
    });
    const claim = await lab.store.get('PersistentVolumeClaim/infra/cache');
    expect(claim?.status).toEqual({
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '5Gi' },
    });
    expect(objectHealth(claim as never).status).toBe('Healthy');
    await lab.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'infra' } });
    expect((await lab.store.get('Namespace//infra'))?.status).toEqual({ phase: 'Active' });
  });
});
