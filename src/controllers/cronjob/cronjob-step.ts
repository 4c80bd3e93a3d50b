import type { CronJobStatus, JobReference } from '../../manifests/generated/k8s-status.js';
import { rfc3339 } from '../pod-facts.js';
import type { CronSchedule } from './cron-schedule.js';

export type { CronJobStatus, JobReference } from '../../manifests/generated/k8s-status.js';

/** A CronJob's spec with Kubernetes' defaults applied. */
export interface CronJobSettings {
  /** Default Allow. */
  concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace';
  startingDeadlineSeconds?: number;
  /** Default false. */
  suspend: boolean;
  /** Default 3. */
  successfulJobsHistoryLimit: number;
  /** Default 1. */
  failedJobsHistoryLimit: number;
}

/** One Job of the CronJob as the step sees it. */
export interface CronJobChild {
  name: string;
  namespace: string;
  uid: string;
  /** Complete or Failed once finished. */
  finished?: 'Complete' | 'Failed';
  /** When it finished (completionTime, or the Failed condition's time). */
  finishedMs?: number;
  /** Its startTime, else its creation time: the order history is kept in. */
  startedMs: number;
}

/** What a CronJob should do now. */
export interface CronJobStep {
  /** The Job to create for a scheduled time, named `<cronjob>-<minutes since the epoch>`. */
  create?: { name: string; scheduledMs: number };
  /** Jobs to delete: active ones a Replace supersedes, finished ones past the history limits. */
  delete: Array<{ name: string; why: 'Replace' | 'History' }>;
  status: CronJobStatus;
  events: Array<{ type: 'Normal' | 'Warning'; reason: string; message: string }>;
  /** Time until the next scheduled time, when not suspended. */
  requeueAfterMs?: number;
}

/** Missed times past this many are reported (Kubernetes' limit); only the latest one runs. */
export const MAX_MISSED_TIMES = 100;

/**
 * One step of Kubernetes' CronJob controller (a pure function). Of the times the schedule fired
 * since the last one handled (or since the CronJob was made, and within startingDeadlineSeconds),
 * only the latest is run; Forbid skips it while a Job is active (it runs when that finishes, if
 * still within the deadline), Replace deletes the active Jobs first. Finished Jobs beyond
 * successfulJobsHistoryLimit / failedJobsHistoryLimit are deleted, oldest first. Suspended:
 * nothing is scheduled.
 */
export function cronJobStep(input: {
  name: string;
  namespace: string;
  settings: CronJobSettings;
  schedule: CronSchedule;
  previous: CronJobStatus | undefined;
  createdMs: number;
  jobs: readonly CronJobChild[];
  nowMs: number;
}): CronJobStep {
  const { settings, schedule, nowMs } = input;
  const active = input.jobs.filter((j) => !j.finished);
  const step: CronJobStep = { delete: [], events: [], status: {} };

  // History: finished Jobs beyond the limits, oldest first.
  for (const [kind, limit] of [
    ['Complete', settings.successfulJobsHistoryLimit],
    ['Failed', settings.failedJobsHistoryLimit],
  ] as const) {
    const finished = input.jobs
      .filter((j) => j.finished === kind)
      .sort((a, b) => a.startedMs - b.startedMs);
    for (const j of finished.slice(0, Math.max(0, finished.length - limit)))
      step.delete.push({ name: j.name, why: 'History' });
  }
  const lastSuccessMs = Math.max(
    input.previous?.lastSuccessfulTime ? Date.parse(input.previous.lastSuccessfulTime) : 0,
    ...input.jobs.filter((j) => j.finished === 'Complete').map((j) => j.finishedMs ?? 0),
  );
  let lastScheduleTime = input.previous?.lastScheduleTime;
  const finish = (running: readonly CronJobChild[]): CronJobStep => {
    step.status = {
      ...(running.length > 0 ? { active: running.map((j) => reference(j)) } : {}),
      ...(lastScheduleTime ? { lastScheduleTime } : {}),
      ...(lastSuccessMs > 0 ? { lastSuccessfulTime: rfc3339(lastSuccessMs) } : {}),
    };
    if (!settings.suspend) {
      const next = schedule.next(nowMs);
      if (next !== undefined) step.requeueAfterMs = next - nowMs + 100;
    }
    return step;
  };
  if (settings.suspend) return finish(active);

  // The latest time the schedule fired that was not handled yet.
  let earliestMs = lastScheduleTime ? Date.parse(lastScheduleTime) : input.createdMs;
  if (settings.startingDeadlineSeconds !== undefined)
    earliestMs = Math.max(earliestMs, nowMs - settings.startingDeadlineSeconds * 1000);
  const scheduledMs = schedule.latest(nowMs);
  if (scheduledMs === undefined || scheduledMs <= earliestMs) return finish(active);
  let missed = 0;
  for (let t = schedule.next(earliestMs); t !== undefined && t <= nowMs; t = schedule.next(t)) {
    if (++missed > MAX_MISSED_TIMES) break;
  }
  if (missed > MAX_MISSED_TIMES) {
    step.events.push({
      type: 'Warning',
      reason: 'TooManyMissedTimes',
      message:
        'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
    });
  }
  const jobName = `${input.name}-${Math.floor(scheduledMs / 60_000)}`;
  if (input.jobs.some((j) => j.name === jobName)) {
    lastScheduleTime = rfc3339(scheduledMs);
    return finish(active);
  }
  if (settings.concurrencyPolicy === 'Forbid' && active.length > 0) {
    step.events.push({
      type: 'Normal',
      reason: 'JobAlreadyActive',
      message:
        'Not starting job because prior execution is running and concurrency policy is Forbid',
    });
    return finish(active);
  }
  let running = active;
  if (settings.concurrencyPolicy === 'Replace' && active.length > 0) {
    step.delete.push(...active.map((j) => ({ name: j.name, why: 'Replace' as const })));
    running = [];
  }
  step.create = { name: jobName, scheduledMs };
  lastScheduleTime = rfc3339(scheduledMs);
  return finish(running);
}

function reference(j: CronJobChild): JobReference {
  return { apiVersion: 'batch/v1', kind: 'Job', name: j.name, namespace: j.namespace, uid: j.uid };
}
