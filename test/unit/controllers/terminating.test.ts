import { describe, expect, it } from 'vitest';
import { endpointSubsets, podActive, podFacts, podMayRun } from '../../../src/controllers/index.js';
import { statefulSetStep } from '../../../src/controllers/statefulset/index.js';
import { describeObject } from '../../../src/kubectl/describe-object.js';
import { podSummary } from '../../../src/kubectl/pod-columns.js';
import {
  asKind,
  MemoryObjectStore,
  type StoredObject,
  storeKey,
} from '../../../src/store/index.js';
import { ControllerLab } from './controller-lab.js';

// How controllers count pods being deleted (metadata.deletionTimestamp set, the node still
// stopping them), as Kubernetes' controllers do. The lab holds terminations until a test says
// the node is done (finishTermination).

const template = (image: string) => ({
  metadata: { labels: { app: 'web' } },
  spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'main', image }] },
});

const replicaSet = (replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: template('busybox:1') },
});

const deployment = (image: string, replicas = 2) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    replicas,
    strategy: { type: 'Recreate' },
    selector: { matchLabels: { app: 'web' } },
    template: template(image),
  },
});

async function readyAll(lab: ControllerLab, owner: string): Promise<void> {
  for (const pod of await lab.pods(owner)) {
    if (!pod.metadata.deletionTimestamp)
      await lab.reportPod(storeKey(pod), { phase: 'Running', ready: true });
  }
}

async function replicasOf(lab: ControllerLab, key: string): Promise<number | undefined> {
  const rs = await lab.store.get(key);
  return (rs?.spec as { replicas?: number } | undefined)?.replicas;
}

const terminatingOf = (pods: readonly StoredObject[]) =>
  pods.filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name);

describe('graceful deletion of pods, as controllers count it', () => {
  it('a ReplicaSet counts only active pods: a terminating pod is replaced at once and reported apart', async () => {
    const lab = new ControllerLab();
    lab.finishTerminations = false;
    const RS = 'ReplicaSet/default/web-1';
    await lab.apply(replicaSet(3));
    await readyAll(lab, RS);

    // Someone deletes a pod: it terminates (grace period from its spec) and a new one is made now.
    const [victim] = await lab.podNames(RS);
    await lab.store.delete(`Pod/default/${victim}`);
    await lab.deps.enqueue(`Pod/default/${victim}`);
    await lab.settle();
    const marked = await lab.store.get(`Pod/default/${victim}`);
    expect(marked?.metadata.deletionGracePeriodSeconds).toBe(5);
    let pods = await lab.pods(RS);
    expect(pods).toHaveLength(4);
    expect(terminatingOf(pods)).toEqual([victim]);
    expect((await lab.store.get(RS))?.status).toMatchObject({
      replicas: 3,
      readyReplicas: 2,
      terminatingReplicas: 1,
    });

    // Scale down to 1: two more terminate; none is deleted twice.
    await lab.apply(replicaSet(1));
    pods = await lab.pods(RS);
    expect(pods).toHaveLength(4);
    expect(terminatingOf(pods)).toHaveLength(3);
    expect((await lab.store.get(RS))?.status).toMatchObject({
      replicas: 1,
      terminatingReplicas: 3,
    });
    const deletes = (await lab.eventReasons('ReplicaSet', 'default', 'web-1')).filter(
      (r) => r === 'SuccessfulDelete',
    );
    expect(deletes).toHaveLength(1);

    // The node finishes them: they leave the store and the status follows.
    for (const name of terminatingOf(pods)) await lab.finishTermination(`Pod/default/${name}`);
    expect(await lab.pods(RS)).toHaveLength(1);
    expect((await lab.store.get(RS))?.status).toMatchObject({
      replicas: 1,
      terminatingReplicas: 0,
    });
  });

  it('a Recreate Deployment scales the new ReplicaSet up only once every old pod is gone', async () => {
    const lab = new ControllerLab();
    lab.finishTerminations = false;
    const D = 'Deployment/default/web';
    await lab.apply(deployment('busybox:1'));
    const [oldRS] = (await lab.store.children(D)).map(storeKey);
    await readyAll(lab, oldRS as string);

    await lab.apply(deployment('busybox:2'));
    const sets = await lab.store.children(D);
    const newRS = sets.find((s) => storeKey(s) !== oldRS) as StoredObject;
    const old = await lab.pods(oldRS as string);
    expect(terminatingOf(old)).toHaveLength(2);
    expect((newRS.spec as { replicas: number }).replicas).toBe(0);

    // While the old pods terminate (grace period running), nothing of the new version starts.
    await lab.advance(10_000);
    const [first, second] = terminatingOf(old);
    await lab.finishTermination(`Pod/default/${first}`);
    expect(await lab.pods(storeKey(newRS))).toEqual([]);
    expect(await replicasOf(lab, storeKey(newRS))).toBe(0);

    // The last one gone: the new ReplicaSet grows to the full size in the same round.
    await lab.finishTermination(`Pod/default/${second}`);
    expect(await replicasOf(lab, storeKey(newRS))).toBe(2);
    expect(await lab.pods(storeKey(newRS))).toHaveLength(2);
  });

  it('a finished pod is deleted at once; one that may run counts until it is gone', async () => {
    const lab = new ControllerLab();
    lab.finishTerminations = false;
    const RS = 'ReplicaSet/default/web-1';
    await lab.apply(replicaSet(1));
    const [name] = await lab.podNames(RS);
    const key = `Pod/default/${name}`;
    await lab.reportPod(key, { phase: 'Succeeded' });
    const finished = (await lab.store.get(key)) as StoredObject;
    expect(podActive(asKind('Pod', finished))).toBe(false);
    expect(podMayRun(asKind('Pod', finished))).toBe(false);
    await lab.store.delete(key);
    expect(await lab.store.get(key)).toBeUndefined();
  });
});

describe('StatefulSet step with terminating pods (Kubernetes isTerminating)', () => {
  const pod = (ordinal: number, extra: Record<string, unknown> = {}) => ({
    name: `pg-${ordinal}`,
    ordinal,
    revision: 'r1',
    phase: 'Running',
    ready: true,
    ...extra,
  });
  const base = {
    podManagementPolicy: 'OrderedReady' as const,
    updateStrategy: { type: 'RollingUpdate' as const, partition: 0 },
    currentRevision: 'r1',
    updateRevision: 'r1',
  };

  it.each([
    [
      'OrderedReady waits for a terminating pod (still Ready) before the next ordinal',
      { ...base, replicas: 3, pods: [pod(0), pod(1, { terminating: true })] },
      { create: [], delete: [] },
    ],
    [
      'Parallel passes a terminating pod by and creates the other ordinals',
      {
        ...base,
        podManagementPolicy: 'Parallel' as const,
        replicas: 3,
        pods: [pod(0), pod(1, { terminating: true })],
      },
      { create: [{ ordinal: 2, revision: 'r1' }], delete: [] },
    ],
    [
      'OrderedReady scale down waits while the highest condemned pod terminates',
      { ...base, replicas: 1, pods: [pod(0), pod(1), pod(2, { terminating: true })] },
      { create: [], delete: [] },
    ],
    [
      'Parallel scale down deletes only the condemned pods not terminating yet',
      {
        ...base,
        podManagementPolicy: 'Parallel' as const,
        replicas: 1,
        pods: [pod(0), pod(1), pod(2, { terminating: true })],
      },
      { create: [], delete: ['pg-1'] },
    ],
    [
      'a rolling update never deletes a terminating pod again, and waits for it',
      {
        ...base,
        updateRevision: 'r2',
        replicas: 3,
        pods: [pod(0), pod(1), pod(2, { terminating: true })],
      },
      { create: [], delete: [] },
    ],
  ])('%s', (_name, input, expected) => {
    expect(statefulSetStep(input)).toEqual(expected);
  });
});

describe('what users see of a terminating pod', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  const terminating: StoredObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-abcde',
      namespace: 'default',
      uid: 'u1',
      generation: 2,
      creationTimestamp: '2026-12-02T09:00:00Z',
      labels: { app: 'web' },
      deletionTimestamp: '2026-12-02T10:00:20Z',
      deletionGracePeriodSeconds: 30,
    },
    spec: { containers: [{ name: 'main', image: 'busybox', ports: [{ containerPort: 80 }] }] },
    status: {
      phase: 'Running',
      podIP: '10.1.0.5',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: {} } }],
    },
  };

  it('get pods shows STATUS Terminating; describe shows kubectl’s Terminating (lasts …) and the grace period', async () => {
    expect(podSummary(terminating, now).status).toBe('Terminating');
    const text = await describeObject({
      object: terminating,
      store: new MemoryObjectStore(),
      events: [],
      now,
    });
    // kubectl prints the time since deletionTimestamp, `<invalid>` while it is still ahead.
    expect(text).toMatch(/^Status:\s+Terminating \(lasts <invalid>\)$/m);
    expect(text).toMatch(/^Termination Grace Period:\s+30s$/m);
    const later = await describeObject({
      object: terminating,
      store: new MemoryObjectStore(),
      events: [],
      now: new Date('2026-12-02T10:01:20Z'),
    });
    expect(later).toMatch(/^Status:\s+Terminating \(lasts 60s\)$/m);
  });

  it('a terminating pod leaves its Services’ endpoints (unless not-ready addresses are published)', () => {
    const spec = { selector: { app: 'web' }, ports: [{ port: 80 }] };
    expect(endpointSubsets('web', spec as never, [asKind('Pod', terminating)])).toEqual([]);
    const published = endpointSubsets('web', { ...spec, publishNotReadyAddresses: true } as never, [
      asKind('Pod', terminating),
    ]);
    expect(published[0]?.addresses?.[0]?.ip).toBe('10.1.0.5');
    expect(podFacts(asKind('Pod', terminating)).terminating).toBe(true);
  });
});
