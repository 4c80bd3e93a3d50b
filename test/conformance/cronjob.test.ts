import { describe, expect, it } from 'vitest';
import {
  type CronJobChild,
  type CronSchedule,
  compileSchedule,
  cronJobStep,
  ScheduleError,
} from '../../src/controllers/cronjob/index.js';
import { rfc3339 } from '../../src/controllers/pod-facts.js';
import { conformanceFixture } from './fixture.js';

type Row = [
  [string, boolean, string, string | null, string, boolean, boolean, string],
  [boolean, boolean, number, number, number | null],
];
const f = conformanceFixture<{
  times: Record<string, string>;
  cases: Record<string, Row | { skip: string; row: Row }>;
}>('./cronjob/cronjob-controller.yaml');

const SCHEDULES: Record<string, string> = {
  hourly: '0 * * * ?',
  bad: 'obvious error schedule',
  'TZ=UTC hourly': 'TZ=UTC 0 * * * ?',
};
const DEADLINES: Record<string, number | undefined> = {
  none: undefined,
  short: 10,
  medium: 2 * 60 * 60,
  long: 1_000_000,
};
const at = (t: string) => Date.parse(t);
const JUST_BEFORE_THE_PRIOR_HOUR = at('2016-05-19T08:59:00Z');
const JUST_AFTER_THE_PRIOR_HOUR = at('2016-05-19T09:01:00Z');

describe('kubernetes pkg/controller/cronjob/cronjob_controllerv2_test.go', () => {
  describe('TestControllerV2SyncCronJob', () => {
    for (const [name, entry] of Object.entries(f.cases)) {
      if (!Array.isArray(entry)) {
        it.skip(`${name}: ${entry.skip}`, () => {});
        continue;
      }
      it(name, () => {
        const [[policy, suspend, sched, zone, deadline, ranPreviously, stillActive, now], want] =
          entry;
        const [create, del, active, warnings, requeue] = want;
        const nowMs = at(f.times[now] as string);
        let schedule: CronSchedule;
        try {
          schedule = compileSchedule(SCHEDULES[sched] as string, zone ?? 'UTC');
        } catch (err) {
          // Upstream: a Warning event, nothing created, no requeue.
          expect(err).toBeInstanceOf(ScheduleError);
          expect({ create, del, active, warnings, requeue }).toEqual({
            create: false,
            del: false,
            active: 0,
            warnings: 1,
            requeue: null,
          });
          return;
        }
        const jobs: CronJobChild[] = [];
        if (ranPreviously) {
          jobs.push({
            name: `mycronjob-${Math.floor(JUST_AFTER_THE_PRIOR_HOUR / 60_000)}`,
            namespace: 'snazzycats',
            uid: '1234',
            startedMs: JUST_AFTER_THE_PRIOR_HOUR,
            ...(stillActive
              ? {}
              : { finished: 'Complete' as const, finishedMs: JUST_AFTER_THE_PRIOR_HOUR + 10_000 }),
          });
        }
        const startingDeadlineSeconds = DEADLINES[deadline];
        const step = cronJobStep({
          name: 'mycronjob',
          namespace: 'snazzycats',
          settings: {
            concurrencyPolicy: policy as 'Allow' | 'Forbid' | 'Replace',
            ...(startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds } : {}),
            suspend,
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 1,
          },
          schedule,
          previous: ranPreviously
            ? {
                lastScheduleTime: rfc3339(JUST_AFTER_THE_PRIOR_HOUR),
                ...(stillActive
                  ? {
                      active: [
                        {
                          apiVersion: 'batch/v1',
                          kind: 'Job',
                          name: jobs[0]?.name as string,
                          namespace: 'snazzycats',
                          uid: '1234',
                        },
                      ],
                    }
                  : {}),
              }
            : undefined,
          createdMs: ranPreviously
            ? JUST_BEFORE_THE_PRIOR_HOUR
            : at(f.times.justBeforeTheHour as string),
          jobs,
          nowMs,
        });
        expect({
          create: step.create !== undefined,
          del: step.delete.some((d) => d.why === 'Replace'),
          active: (step.status.active?.length ?? 0) + (step.create ? 1 : 0),
          warnings: step.events.filter((e) => e.type === 'Warning').length,
          requeue: step.requeueAfterMs ?? null,
        }).toEqual({ create, del, active, warnings, requeue });
        if (step.create) expect(step.create.scheduledMs).toBe(schedule.latest(nowMs));
      });
    }
  });
});
