import { describe, expect, it } from 'vitest';
import { ControllerLab } from './controller-lab.js';

// The CronJob controller (and the Job controller under it) against the in-memory object store
// with a clock the test moves: a schedule of every minute is too slow to wait for in real time.
// The lab's reportPod stands in for the node role.
describe('CronJob controller (controlled clock)', () => {
  const KEY = 'CronJob/ops/tick';

  const cronJob = (spec: Record<string, unknown> = {}) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick', namespace: 'ops' },
    spec: {
      schedule: '* * * * *',
      jobTemplate: {
        metadata: { labels: { app: 'tick' } },
        spec: {
          template: {
            spec: {
              restartPolicy: 'Never',
              containers: [{ name: 'main', image: 'berth.local/busybox:1' }],
            },
          },
        },
      },
      ...spec,
    },
  });

  const jobNames = async (lab: ControllerLab) =>
    (await lab.store.children(KEY)).filter((o) => o.kind === 'Job').map((o) => o.metadata.name);

  /** Lets every pod of every job of the CronJob finish with `phase`. */
  async function finishAll(lab: ControllerLab, phase: 'Succeeded' | 'Failed') {
    for (const name of await jobNames(lab)) {
      for (const pod of await lab.pods(`Job/ops/${name}`)) {
        if (!(pod.status as { phase?: string } | undefined)?.phase?.match(/Succeeded|Failed/))
          await lab.reportPod(`Pod/ops/${pod.metadata.name}`, { phase });
      }
    }
  }

  it('creates a Job named after each scheduled minute, records it, and keeps 3 successful ones', async () => {
    const lab = new ControllerLab();
    await lab.apply(cronJob());
    expect(await jobNames(lab)).toEqual([]);
    const start = lab.nowMs;

    // The controller asks to be woken just after each scheduled minute.
    await lab.advance(61_000);
    const minute = Math.floor((start + 60_000) / 60_000);
    expect(await jobNames(lab)).toEqual([`tick-${minute}`]);
    const job = await lab.store.get(`Job/ops/tick-${minute}`);
    expect(job?.metadata.labels).toEqual({ app: 'tick' });
    expect(job?.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp']).toBe(
      new Date(minute * 60_000).toISOString().replace('.000Z', 'Z'),
    );
    expect((await lab.pods(`Job/ops/tick-${minute}`)).length).toBe(1);
    expect((await lab.store.get(KEY))?.status).toMatchObject({
      active: [{ kind: 'Job', name: `tick-${minute}`, namespace: 'ops', uid: job?.metadata.uid }],
      lastScheduleTime: new Date(minute * 60_000).toISOString().replace('.000Z', 'Z'),
    });

    // Five minutes of runs that all succeed: the newest three are kept.
    await finishAll(lab, 'Succeeded');
    for (let i = 0; i < 4; i++) {
      await lab.advance(60_000);
      await finishAll(lab, 'Succeeded');
    }
    expect(await jobNames(lab)).toEqual(
      [minute + 2, minute + 3, minute + 4].map((m) => `tick-${m}`),
    );
    const status = (await lab.store.get(KEY))?.status as Record<string, unknown>;
    expect(status.active).toBeUndefined();
    expect(status.lastSuccessfulTime).toMatch(/Z$/);
    expect(await lab.eventReasons('CronJob', 'ops', 'tick')).toContain('SuccessfulDelete');
  });

  it('Forbid skips a time while the previous Job runs; Replace replaces it', async () => {
    const lab = new ControllerLab();
    await lab.apply(cronJob({ concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 30 }));
    await lab.advance(61_000);
    const [first] = await jobNames(lab);
    await lab.advance(60_000);
    expect(await jobNames(lab)).toEqual([first]);
    expect(await lab.eventReasons('CronJob', 'ops', 'tick')).toContain('JobAlreadyActive');

    await lab.apply(cronJob({ concurrencyPolicy: 'Replace' }));
    await lab.advance(60_000);
    const names = await jobNames(lab);
    expect(names).toHaveLength(1);
    expect(names[0]).not.toBe(first);
    expect(await lab.store.get(`Job/ops/${first}`)).toBeUndefined();
  });

  it('suspend stops new Jobs; an unreadable schedule is a Warning event, not a crash', async () => {
    const lab = new ControllerLab();
    await lab.apply(cronJob({ suspend: true }));
    await lab.advance(5 * 60_000);
    expect(await jobNames(lab)).toEqual([]);

    await lab.apply(cronJob({ schedule: '*/61 * * *' }));
    expect(await lab.eventReasons('CronJob', 'ops', 'tick')).toContain('InvalidSchedule');
    await lab.apply(cronJob({ timeZone: 'Nowhere/Atlantis' }));
    expect(await lab.eventReasons('CronJob', 'ops', 'tick')).toContain('UnknownTimeZone');
  });
});
