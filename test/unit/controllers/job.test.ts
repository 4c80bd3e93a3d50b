import { describe, expect, it } from 'vitest';
import { objectHealth } from '../../../src/health/index.js';
import { ControllerLab } from './controller-lab.js';

// The Job controller against the in-memory object store and a clock the test moves. The lab's
// reportPod stands in for the node role (it writes pod statuses as the node does).
describe('Job controller (node role simulated, controlled clock)', () => {
  const job = (name: string, spec: Record<string, unknown> = {}) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'batch' },
    spec: {
      template: {
        spec: {
          restartPolicy: 'Never',
          containers: [{ name: 'main', image: 'berth.local/busybox:1', command: ['true'] }],
        },
      },
      ...spec,
    },
  });

  it('runs its pods to completions, parallelism at a time, then is Complete and keeps them', async () => {
    const lab = new ControllerLab();
    const key = 'Job/batch/migrate';
    await lab.apply(job('migrate', { completions: 3, parallelism: 2 }));
    const first = await lab.podNames(key);
    expect(first).toHaveLength(2);
    expect(first.every((n) => /^migrate-[a-z0-9]{5}$/.test(n))).toBe(true);
    const pod = await lab.store.get(`Pod/batch/${first[0]}`);
    expect(pod?.metadata.labels).toMatchObject({
      'batch.kubernetes.io/job-name': 'migrate',
      'job-name': 'migrate',
    });
    expect((await lab.store.get(key))?.status).toMatchObject({ active: 2 });
    expect(objectHealth((await lab.store.get(key)) as never).status).toBe('Progressing');

    for (const name of first) await lab.reportPod(`Pod/batch/${name}`, { phase: 'Succeeded' });
    const all = await lab.podNames(key);
    expect(all).toHaveLength(3);
    const last = all.find((n) => !first.includes(n)) as string;
    await lab.reportPod(`Pod/batch/${last}`, { phase: 'Succeeded' });

    const done = await lab.store.get(key);
    expect(done?.status).toMatchObject({
      succeeded: 3,
      ready: 0,
      startTime: expect.stringMatching(/Z$/),
      completionTime: expect.stringMatching(/Z$/),
      conditions: [{ type: 'Complete', status: 'True', reason: 'CompletionsReached' }],
    });
    expect(objectHealth(done as never)).toMatchObject({ status: 'Healthy', reason: 'Complete' });
    expect(await lab.podNames(key)).toEqual(all);
    expect(await lab.eventReasons('Job', 'batch', 'migrate')).toContain('Completed');
  });

  it('replaces a failed pod after a backoff and fails once past backoffLimit', async () => {
    const lab = new ControllerLab();
    const key = 'Job/batch/flaky';
    await lab.apply(job('flaky', { backoffLimit: 1 }));
    const [first] = await lab.podNames(key);
    await lab.reportPod(`Pod/batch/${first}`, { phase: 'Failed', exitCode: 3 });
    // No replacement before the 10 s backoff is over.
    await lab.advance(9_000);
    expect(await lab.podNames(key)).toEqual([first]);
    await lab.advance(2_000);
    const pods = await lab.podNames(key);
    expect(pods).toHaveLength(2);
    const second = pods.find((n) => n !== first) as string;
    await lab.reportPod(`Pod/batch/${second}`, { phase: 'Failed', exitCode: 3 });

    const failed = await lab.store.get(key);
    expect(failed?.status).toMatchObject({
      failed: 2,
      conditions: [
        {
          type: 'Failed',
          status: 'True',
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
        },
      ],
    });
    expect(objectHealth(failed as never)).toMatchObject({
      status: 'Degraded',
      reason: 'BackoffLimitExceeded',
    });
    // The failed pods stay for their logs, and no new pod starts.
    await lab.advance(60_000);
    expect(await lab.podNames(key)).toEqual(pods);
    expect(await lab.eventReasons('Job', 'batch', 'flaky')).toContain('BackoffLimitExceeded');
  });

  it('stops a job active past activeDeadlineSeconds', async () => {
    const lab = new ControllerLab();
    const key = 'Job/batch/slow';
    await lab.apply(job('slow', { activeDeadlineSeconds: 30 }));
    const [pod] = await lab.podNames(key);
    await lab.reportPod(`Pod/batch/${pod}`, { phase: 'Running', ready: true });
    await lab.advance(29_000);
    expect((await lab.store.get(key))?.status).toMatchObject({ active: 1, ready: 1 });
    await lab.advance(2_000);
    expect((await lab.store.get(key))?.status).toMatchObject({
      failed: 1,
      conditions: [{ type: 'Failed', reason: 'DeadlineExceeded' }],
    });
    expect(await lab.podNames(key)).toEqual([]);
    expect(lab.nodeKeys).toContain(`Pod/batch/${pod}`);
  });

  it('Indexed gives each pod its completion index', async () => {
    const lab = new ControllerLab();
    const key = 'Job/batch/shard';
    await lab.apply(job('shard', { completions: 2, parallelism: 2, completionMode: 'Indexed' }));
    const pods = await lab.pods(key);
    const indexes = pods.map(
      (p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'],
    );
    expect(indexes.sort()).toEqual(['0', '1']);
    const spec = pods[0]?.spec as { hostname: string; containers: Array<{ env: unknown[] }> };
    expect(spec.hostname).toMatch(/^shard-[01]$/);
    expect(spec.containers[0]?.env).toContainEqual({
      name: 'JOB_COMPLETION_INDEX',
      valueFrom: {
        fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
      },
    });
    for (const p of pods)
      await lab.reportPod(`Pod/batch/${p.metadata.name}`, { phase: 'Succeeded' });
    expect((await lab.store.get(key))?.status).toMatchObject({
      completedIndexes: '0-1',
      conditions: [{ type: 'Complete' }],
    });
  });

  it('deletes a finished job and its pods ttlSecondsAfterFinished later', async () => {
    const lab = new ControllerLab();
    const key = 'Job/batch/once';
    await lab.apply(job('once', { ttlSecondsAfterFinished: 60 }));
    const [pod] = await lab.podNames(key);
    await lab.reportPod(`Pod/batch/${pod}`, { phase: 'Succeeded' });
    await lab.advance(59_000);
    expect(await lab.store.get(key)).toBeDefined();
    await lab.advance(2_000);
    expect(await lab.store.get(key)).toBeUndefined();
    expect(await lab.store.get(`Pod/batch/${pod}`)).toBeUndefined();
  });
});
