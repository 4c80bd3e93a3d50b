import { describe, expect, it } from 'vitest';
import { podReady } from '../../../src/controllers/index.js';
import { objectHealth } from '../../../src/health/index.js';
import { ControllerLab } from './controller-lab.js';

// The StatefulSet controller against the in-memory object store. The lab's reportPod stands in
// for the node role (it writes pod statuses as the node does) until that lands on main.
describe('StatefulSet controller (node role simulated)', () => {
  const KEY = 'StatefulSet/db/pg';

  const statefulSet = (image: string, replicas: number, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'pg', namespace: 'db' },
    spec: {
      replicas,
      serviceName: 'pg',
      selector: { matchLabels: { app: 'pg' } },
      template: {
        metadata: { labels: { app: 'pg' } },
        spec: {
          containers: [
            { name: 'main', image, volumeMounts: [{ name: 'data', mountPath: '/data' }] },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
      ...extra,
    },
  });

  /** Reports each pod of the set that is not ready Running and Ready, lowest ordinal first, until all are. */
  /** The names of the set's pods being deleted. */
  async function terminating(lab: ControllerLab): Promise<string[]> {
    return (await lab.pods(KEY))
      .filter((p) => p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name);
  }

  async function bringUp(lab: ControllerLab, expected: number): Promise<string[]> {
    const started: string[] = [];
    for (let i = 0; i < expected * 3; i++) {
      const pods = await lab.pods(KEY);
      const waiting = pods.find((p) => !podReady(p));
      if (!waiting) break;
      started.push(waiting.metadata.name);
      await lab.reportPod(`Pod/db/${waiting.metadata.name}`, { phase: 'Running', ready: true });
    }
    return started;
  }

  it('starts pods in order with stable names, hostnames and their own claims, and reports Healthy', async () => {
    const lab = new ControllerLab();
    await lab.apply(statefulSet('berth.local/busybox:1', 3));

    // Only ordinal 0 until it is Running and Ready.
    expect(await lab.podNames(KEY)).toEqual(['pg-0']);
    const pod0 = await lab.store.get('Pod/db/pg-0');
    expect(pod0?.spec).toMatchObject({
      hostname: 'pg-0',
      subdomain: 'pg',
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data-pg-0' } }],
    });
    expect(pod0?.metadata.labels).toMatchObject({
      app: 'pg',
      'statefulset.kubernetes.io/pod-name': 'pg-0',
      'apps.kubernetes.io/pod-index': '0',
    });
    expect(pod0?.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'StatefulSet',
      controller: true,
    });
    const claim = await lab.store.get('PersistentVolumeClaim/db/data-pg-0');
    expect(claim?.status).toEqual({
      phase: 'Bound',
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '1Gi' },
    });
    await lab.reportPod('Pod/db/pg-0', { phase: 'Running', ready: false });
    expect(await lab.podNames(KEY)).toEqual(['pg-0']);

    expect(await bringUp(lab, 3)).toEqual(['pg-0', 'pg-1', 'pg-2']);
    const sts = await lab.store.get(KEY);
    expect(sts?.status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
    });
    const status = sts?.status as { currentRevision: string; updateRevision: string };
    expect(status.currentRevision).toBe(status.updateRevision);
    expect(status.updateRevision).toMatch(/^pg-[a-z0-9]{10}$/);
    expect(
      (await lab.store.get('Pod/db/pg-2'))?.metadata.labels?.['controller-revision-hash'],
    ).toBe(status.updateRevision);
    expect(objectHealth(sts as never)).toMatchObject({
      status: 'Healthy',
      reason: 'RolloutComplete',
    });
  });

  it('scales down highest ordinal first, one at a time, each gone before the next, and keeps the claims', async () => {
    const lab = new ControllerLab();
    await lab.apply(statefulSet('berth.local/busybox:1', 3));
    await bringUp(lab, 3);

    lab.finishTerminations = false;
    await lab.apply(statefulSet('berth.local/busybox:1', 1));
    expect(await terminating(lab)).toEqual(['pg-2']);
    // OrderedReady waits for pg-2 to be gone (its node stops it) before touching pg-1.
    await lab.advance(5_000);
    expect(await terminating(lab)).toEqual(['pg-2']);
    expect(await lab.podNames(KEY)).toEqual(['pg-0', 'pg-1', 'pg-2']);
    await lab.finishTermination('Pod/db/pg-2');
    expect(await terminating(lab)).toEqual(['pg-1']);
    await lab.finishTermination('Pod/db/pg-1');
    lab.finishTerminations = true;
    expect(await lab.podNames(KEY)).toEqual(['pg-0']);
    expect(await lab.store.get('PersistentVolumeClaim/db/data-pg-2')).toBeDefined();
    expect((await lab.store.get(KEY))?.status).toMatchObject({ replicas: 1, readyReplicas: 1 });

    // Deleting the set removes its pods and keeps the claims (Kubernetes' default Retain).
    await lab.remove(KEY);
    expect(await lab.store.get('Pod/db/pg-0')).toBeUndefined();
    expect(lab.nodeKeys).toContain('Pod/db/pg-0');
    expect(
      (await lab.store.list('PersistentVolumeClaim', 'db')).map((c) => c.metadata.name),
    ).toEqual(['data-pg-0', 'data-pg-1', 'data-pg-2']);
  });

  it('rolls a new template out highest ordinal first, waiting for each pod, and stops at the partition', async () => {
    const lab = new ControllerLab();
    await lab.apply(statefulSet('berth.local/busybox:1', 3));
    await bringUp(lab, 3);
    const before = (await lab.store.get(KEY))?.status as { currentRevision: string };

    lab.finishTerminations = false;
    await lab.apply(
      statefulSet('berth.local/example-web:1', 3, {
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } },
      }),
    );
    const replaced: string[] = [];
    for (let i = 0; i < 10; i++) {
      for (const name of await terminating(lab)) {
        replaced.push(name);
        // Its replacement (same name) waits until the old pod is gone; nothing else moves.
        const uid = (await lab.store.get(`Pod/db/${name}`))?.metadata.uid;
        await lab.advance(2_000);
        expect(await terminating(lab)).toEqual([name]);
        expect((await lab.store.get(`Pod/db/${name}`))?.metadata.uid).toBe(uid);
        await lab.finishTermination(`Pod/db/${name}`);
        expect((await lab.store.get(`Pod/db/${name}`))?.metadata.uid).not.toBe(uid);
      }
      await lab.advance(1_000);
      await bringUp(lab, 3);
    }
    expect(replaced).toEqual(['pg-2', 'pg-1']);
    const status = (await lab.store.get(KEY))?.status as Record<string, unknown>;
    expect(status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      updatedReplicas: 2,
      currentReplicas: 1,
      currentRevision: before.currentRevision,
    });
    const image = async (n: string) => {
      const pod = await lab.store.get(`Pod/db/${n}`);
      return (pod?.spec as { containers: Array<{ image: string }> } | undefined)?.containers[0]
        ?.image;
    };
    expect([await image('pg-0'), await image('pg-1'), await image('pg-2')]).toEqual([
      'berth.local/busybox:1',
      'berth.local/example-web:1',
      'berth.local/example-web:1',
    ]);
    expect(objectHealth((await lab.store.get(KEY)) as never).status).toBe('Healthy');

    // Partition 0 finishes the rollout; the update revision becomes the current one.
    lab.finishTerminations = true;
    await lab.apply(statefulSet('berth.local/example-web:1', 3));
    for (let i = 0; i < 4; i++) {
      await lab.advance(1_000);
      await bringUp(lab, 3);
    }
    const done = (await lab.store.get(KEY))?.status as Record<string, unknown>;
    expect(done).toMatchObject({ updatedReplicas: 3, currentReplicas: 3 });
    expect(done.currentRevision).toBe(done.updateRevision);
    expect(await image('pg-0')).toBe('berth.local/example-web:1');
  });

  it('persistentVolumeClaimRetentionPolicy Delete removes claims on scale down and with the set', async () => {
    const lab = new ControllerLab();
    const policy = {
      podManagementPolicy: 'Parallel',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
    };
    await lab.apply(statefulSet('berth.local/busybox:1', 2, policy));
    const claims = async () =>
      (await lab.store.list('PersistentVolumeClaim', 'db')).map((c) => c.metadata.name);
    expect(await claims()).toEqual(['data-pg-0', 'data-pg-1']);
    await lab.apply(statefulSet('berth.local/busybox:1', 1, policy));
    expect(await lab.podNames(KEY)).toEqual(['pg-0']);
    expect(await claims()).toEqual(['data-pg-0']);
    await lab.remove(KEY);
    expect(await claims()).toEqual([]);
  });

  it('Parallel starts every pod at once', async () => {
    const lab = new ControllerLab();
    await lab.apply(statefulSet('berth.local/busybox:1', 3, { podManagementPolicy: 'Parallel' }));
    expect(await lab.podNames(KEY)).toEqual(['pg-0', 'pg-1', 'pg-2']);
  });
});
