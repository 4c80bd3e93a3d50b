import type { Result } from '../queue/index.js';
import { ofKind, type Stored, storeKey } from '../store/index.js';
import { objectKey } from '../util/object-key.js';
import {
  type Controller,
  type ControllerContext,
  type ObjectRequest,
  recordEvent,
} from './controller.js';
import {
  type CronJobChild,
  type CronJobSettings,
  type CronSchedule,
  compileSchedule,
  cronJobStep,
  ScheduleError,
} from './cronjob/index.js';
import { finishedCondition } from './job/index.js';
import { controllerRef, inheritedAnnotations } from './owned.js';
import { rfc3339 } from './pod-facts.js';
import { canonicalJson } from './rollout/index.js';

/** The annotation with the time a CronJob's Job was scheduled for (RFC 3339). */
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

/**
 * CronJob: at each time of its schedule (five cron fields or a macro, in timeZone) creates a Job
 * `<name>-<scheduled time in minutes since the epoch>` from jobTemplate, by concurrencyPolicy
 * (Allow, Forbid, Replace) and within startingDeadlineSeconds; keeps the newest finished Jobs
 * (successfulJobsHistoryLimit 3, failedJobsHistoryLimit 1); writes lastScheduleTime,
 * lastSuccessfulTime and active[]; asks to be reconciled again at the next scheduled time. A
 * schedule or time zone it cannot read is a Warning event and no retry until the CronJob changes.
 */
export const cronJobController: Controller<'CronJob'> = {
  kind: 'CronJob',
  queue: 'reconcile',
  reconcile: reconcileCronJob,
};

async function reconcileCronJob(
  deps: ControllerContext,
  { key, namespace, name }: ObjectRequest,
  cj: Stored<'CronJob'> | undefined,
): Promise<Result | undefined> {
  if (!cj) return;
  const spec = cj.spec;
  let schedule: CronSchedule;
  try {
    schedule = compileSchedule(spec.schedule, spec.timeZone);
  } catch (err) {
    if (!(err instanceof ScheduleError)) throw err;
    await recordEvent(deps, cj, 'Warning', err.code, err.message);
    return;
  }
  const settings: CronJobSettings = {
    concurrencyPolicy: spec.concurrencyPolicy ?? 'Allow',
    ...(spec.startingDeadlineSeconds !== undefined
      ? { startingDeadlineSeconds: spec.startingDeadlineSeconds }
      : {}),
    suspend: spec.suspend ?? false,
    successfulJobsHistoryLimit: spec.successfulJobsHistoryLimit ?? 3,
    failedJobsHistoryLimit: spec.failedJobsHistoryLimit ?? 1,
  };
  const jobs = ofKind(await deps.store.children(key), 'Job');
  const step = cronJobStep({
    name,
    namespace,
    settings,
    schedule,
    previous: cj.status,
    createdMs: Date.parse(cj.metadata.creationTimestamp),
    jobs: jobs.map(child),
    nowMs: deps.now().getTime(),
  });

  for (const { name: jobName, why } of step.delete) {
    const jobKey = objectKey('Job', namespace, jobName);
    await deps.store.delete(jobKey);
    await deps.enqueue(jobKey);
    await recordEvent(
      deps,
      cj,
      'Normal',
      'SuccessfulDelete',
      why === 'Replace' ? `Deleted job ${jobName}` : `Deleted finished job ${jobName}`,
    );
  }
  for (const e of step.events) await recordEvent(deps, cj, e.type, e.reason, e.message);
  const status = step.status;
  if (step.create) {
    const { object } = await deps.store.apply({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: step.create.name,
        namespace,
        labels: { ...(spec.jobTemplate.metadata?.labels ?? {}) },
        annotations: {
          ...(spec.jobTemplate.metadata?.annotations ?? {}),
          [SCHEDULED_TIMESTAMP]: rfc3339(step.create.scheduledMs),
          ...inheritedAnnotations(cj),
        },
        ownerReferences: [controllerRef(cj)],
      },
      spec: spec.jobTemplate.spec,
    });
    await deps.enqueue(storeKey(object));
    await recordEvent(deps, cj, 'Normal', 'SuccessfulCreate', `Created job ${step.create.name}`);
    status.active = [
      ...(status.active ?? []),
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        name: object.metadata.name,
        namespace,
        uid: object.metadata.uid,
      },
    ];
  }
  if (canonicalJson(status) !== canonicalJson(cj.status ?? {}))
    await deps.store.putStatus(key, status);
  return step.requeueAfterMs === undefined ? {} : { requeueAfterMs: step.requeueAfterMs };
}

function child(job: Stored<'Job'>): CronJobChild {
  const status = job.status;
  const done = finishedCondition(status);
  const finishedAt = status?.completionTime ?? done?.lastTransitionTime;
  return {
    name: job.metadata.name,
    namespace: job.metadata.namespace ?? '',
    uid: job.metadata.uid,
    ...(done ? { finished: done.type as 'Complete' | 'Failed' } : {}),
    ...(finishedAt ? { finishedMs: Date.parse(finishedAt) } : {}),
    startedMs: Date.parse(status?.startTime ?? job.metadata.creationTimestamp),
  };
}
