import { describe, expect, it } from 'vitest';
import {
  type CronJobSettings,
  type CronJobStatus,
  compileSchedule,
  cronJobStep,
} from '../../../src/controllers/cronjob/index.js';
import { cases } from './fixture.js';

interface Input {
  settings?: Partial<CronJobSettings>;
  schedule?: string;
  timeZone?: string;
  created?: string;
  previous?: CronJobStatus;
  now: string;
  jobs: Array<[string, 'Complete' | 'Failed' | null, string]>;
}

describe('cronJobStep (Kubernetes CronJob controller)', () => {
  it.each(cases<Input>('cronjob-step'))('%s', (_name, { input, expect: expected }) => {
    const step = cronJobStep({
      name: 'backup',
      namespace: 'default',
      settings: {
        concurrencyPolicy: 'Allow',
        suspend: false,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 1,
        ...input.settings,
      },
      schedule: compileSchedule(input.schedule ?? '*/5 * * * *', input.timeZone),
      previous: input.previous,
      createdMs: Date.parse(input.created ?? '2025-01-01T00:00:00Z'),
      jobs: input.jobs.map(([name, finished, start]) => ({
        name,
        namespace: 'default',
        uid: `uid-${name}`,
        ...(finished ? { finished, finishedMs: Date.parse(start) + 60_000 } : {}),
        startedMs: Date.parse(start),
      })),
      nowMs: Date.parse(input.now),
    });
    expect({ ...step, requeueAfterMs: step.requeueAfterMs ?? null }).toMatchObject(expected);
  });
});

describe('compileSchedule', () => {
  const at = Date.parse('2025-03-10T10:07:00Z');
  it.each([
    ['*/15 * * * *', undefined, '2025-03-10T10:15:00.000Z'],
    ['@hourly', undefined, '2025-03-10T11:00:00.000Z'],
    ['@daily', 'UTC', '2025-03-11T00:00:00.000Z'],
    ['@midnight', 'America/New_York', '2025-03-11T04:00:00.000Z'],
    ['0 9 * * MON-FRI', 'UTC', '2025-03-11T09:00:00.000Z'],
    ['0 0 1 * 5', 'UTC', '2025-03-14T00:00:00.000Z'],
  ])('%s in %s: next after 10:07 is %s', (schedule, zone, next) => {
    const s = compileSchedule(schedule, zone ?? 'UTC');
    expect(new Date(s.next(at) as number).toISOString()).toBe(next);
  });

  it.each([
    ['* * * * * *', 'InvalidSchedule', /five fields/],
    ['61 * * * *', 'InvalidSchedule', /minute/],
    ['@reboot', 'InvalidSchedule', /macro/],
  ])('rejects %s', (schedule, code, message) => {
    expect(() => compileSchedule(schedule)).toThrow(message);
    expect(() => compileSchedule(schedule)).toThrow(expect.objectContaining({ code }));
  });

  it('rejects an unknown time zone', () => {
    expect(() => compileSchedule('* * * * *', 'Mars/Olympus')).toThrow(
      expect.objectContaining({
        code: 'UnknownTimeZone',
        message: 'unknown time zone "Mars/Olympus"',
      }),
    );
  });
});
