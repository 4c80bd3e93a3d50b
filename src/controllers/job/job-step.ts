import { type PodFacts, podActive, rfc3339 } from '../pod-facts.js';
import {
  finishedCondition,
  formatIndexes,
  type JobCondition,
  type JobStatus,
  setJobCondition,
} from './job-status.js';
import { backoffRecord, remainingBackoffMs } from './pod-backoff.js';

/** A Job's spec with Kubernetes' defaults applied. */
export interface JobSettings {
  /** Undefined: a work queue, done when one pod succeeded and none is left running. */
  completions?: number;
  /** Default 1. */
  parallelism: number;
  /** Failed pods (plus container restarts under OnFailure) tolerated; default 6. */
  backoffLimit: number;
  activeDeadlineSeconds?: number;
  /** Default NonIndexed. */
  completionMode: 'NonIndexed' | 'Indexed';
  restartPolicy: 'Never' | 'OnFailure';
  /** Default false. */
  suspend: boolean;
}

/** A pod of the job, with its completion index when the job is Indexed. */
export type JobPod = PodFacts & { index?: number };

/** What a Job should do now. */
export interface JobStep {
  status: JobStatus;
  /** Pods to create: one entry each, the completion index for Indexed jobs, else undefined. */
  create: Array<number | undefined>;
  /** Pods to delete, by name. */
  delete: string[];
  /** The condition the job reached in this step (for an event), if it did. */
  reached?: JobCondition;
  /** When to look again (a deadline, a backoff), if a timer matters. */
  requeueAfterMs?: number;
}

/**
 * One step of Kubernetes' Job controller (a pure function). Counts succeeded and failed pods;
 * fails the job (deleting its running pods) once failures pass backoffLimit
 * (BackoffLimitExceeded) or it ran past activeDeadlineSeconds (DeadlineExceeded); completes it
 * when `completions` pods (Indexed: each index) succeeded; otherwise keeps min(parallelism,
 * remaining) pods running, replacing failed pods after a backoff of 10 s doubling up to 10 min per failure since the
 * last success (Kubernetes' backoffRecord). A
 * finished job keeps its pods; a suspended one runs none.
 */
export function jobStep(
  settings: JobSettings,
  previous: JobStatus | undefined,
  pods: readonly JobPod[],
  nowMs: number,
): JobStep {
  const now = rfc3339(nowMs);
  // Kubernetes' FilterActivePods: a terminating pod is neither active nor deleted again.
  const active = pods.filter((p) => podActive(p));
  const succeededPods = pods.filter((p) => p.phase === 'Succeeded');
  const failedPods = pods.filter((p) => p.phase === 'Failed');
  const ready = active.filter((p) => p.ready).length;
  const finished = finishedCondition(previous);
  if (finished && previous) {
    // Finished: the status stays as it was; nothing runs any more.
    return { status: previous, create: [], delete: active.map((p) => p.name) };
  }

  const indexed = settings.completionMode === 'Indexed';
  const completions = settings.completions;
  const doneIndexes = new Set(
    succeededPods
      .map((p) => p.index)
      .filter((i): i is number => i !== undefined && i < (completions ?? 0)),
  );
  const base = (activeCount: number, extraFailed = 0): JobStatus =>
    counts(previous, {
      active: activeCount,
      ready: activeCount === 0 ? 0 : ready,
      succeeded: succeededPods.length,
      failed: failedPods.length + extraFailed,
      ...(indexed ? { completedIndexes: formatIndexes(doneIndexes) } : {}),
    });

  // Suspended: no pod runs and the clock does not start.
  if (settings.suspend) {
    const status = base(0);
    status.conditions = setJobCondition(
      previous?.conditions,
      { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' },
      now,
    );
    delete status.startTime;
    return { status, create: [], delete: active.map((p) => p.name) };
  }
  let conditions = previous?.conditions;
  if (conditions?.some((c) => c.type === 'Suspended' && c.status === 'True')) {
    conditions = setJobCondition(
      conditions,
      { type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' },
      now,
    );
  }
  const startMs = previous?.startTime ? Date.parse(previous.startTime) : nowMs;
  const startTime = previous?.startTime ?? now;

  // Failed: too many failures, or past the deadline.
  const restarts =
    settings.restartPolicy === 'OnFailure' ? active.reduce((n, p) => n + p.restarts, 0) : 0;
  const deadlineMs =
    settings.activeDeadlineSeconds !== undefined
      ? startMs + settings.activeDeadlineSeconds * 1000
      : undefined;
  let failure: { reason: string; message: string } | undefined;
  if (failedPods.length + restarts > settings.backoffLimit) {
    failure = {
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
    };
  } else if (deadlineMs !== undefined && nowMs >= deadlineMs) {
    failure = {
      reason: 'DeadlineExceeded',
      message: 'Job was active longer than specified deadline',
    };
  }
  if (failure) {
    const status = base(0, active.length);
    status.startTime = startTime;
    status.conditions = setJobCondition(
      conditions,
      { type: 'Failed', status: 'True', ...failure },
      now,
    );
    return {
      status,
      create: [],
      delete: active.map((p) => p.name),
      reached: status.conditions.find((c) => c.type === 'Failed'),
    };
  }

  // Complete: enough pods (each index) succeeded, or a work queue has drained.
  const complete =
    completions === undefined
      ? succeededPods.length > 0 && active.length === 0
      : indexed
        ? doneIndexes.size >= completions
        : succeededPods.length >= completions;
  if (complete) {
    const status = base(0);
    status.startTime = startTime;
    status.completionTime = now;
    status.conditions = setJobCondition(
      conditions,
      {
        type: 'Complete',
        status: 'True',
        reason: 'CompletionsReached',
        message: 'Reached expected number of succeeded pods',
      },
      now,
    );
    return {
      status,
      create: [],
      delete: active.map((p) => p.name),
      reached: status.conditions.find((c) => c.type === 'Complete'),
    };
  }

  // Running: as many pods as parallelism allows and the remaining completions need.
  const want =
    completions === undefined
      ? succeededPods.length > 0
        ? active.length
        : settings.parallelism
      : Math.min(
          settings.parallelism,
          completions - (indexed ? doneIndexes.size : succeededPods.length),
        );
  const step: JobStep = { status: base(active.length), create: [], delete: [] };
  step.status.startTime = startTime;
  if (conditions) step.status.conditions = conditions;
  if (active.length > want) {
    const surplus = [...active].sort(
      (a, b) => Number(a.ready) - Number(b.ready) || b.createdAt.localeCompare(a.createdAt),
    );
    step.delete = surplus.slice(0, active.length - want).map((p) => p.name);
    step.status = base(want);
    step.status.startTime = startTime;
    if (conditions) step.status.conditions = conditions;
  }
  let wakeMs = deadlineMs !== undefined ? deadlineMs - nowMs : undefined;
  if (active.length < want) {
    const backoff = remainingBackoffMs(
      backoffRecord(succeededPods.map(finishedAt), failedPods.map(finishedAt)),
      nowMs,
    );
    if (backoff > 0) {
      wakeMs = Math.min(wakeMs ?? Infinity, backoff);
    } else if (indexed) {
      const busy = new Set([...doneIndexes, ...active.map((p) => p.index)]);
      for (let i = 0; i < (completions ?? 0) && step.create.length < want - active.length; i++) {
        if (!busy.has(i)) step.create.push(i);
      }
    } else {
      step.create = Array.from({ length: want - active.length }, () => undefined);
    }
    step.status.active = (step.status.active ?? 0) + step.create.length;
    if (step.status.active === 0) delete step.status.active;
  }
  if (wakeMs !== undefined) step.requeueAfterMs = Math.max(0, wakeMs) + 50;
  return step;
}

/** When a pod finished (Kubernetes' getFinishedTime): its containers' end, else its creation. */
function finishedAt(p: JobPod): number {
  return p.finishedAtMs ?? Date.parse(p.createdAt);
}

/** The counts of a status, zero counts left out, in the order Kubernetes writes them. */
function counts(
  previous: JobStatus | undefined,
  c: {
    active: number;
    ready: number;
    succeeded: number;
    failed: number;
    completedIndexes?: string;
  },
): JobStatus {
  const status: JobStatus = { ready: c.ready };
  if (previous?.startTime) status.startTime = previous.startTime;
  if (c.active > 0) status.active = c.active;
  if (c.succeeded > 0) status.succeeded = c.succeeded;
  if (c.failed > 0) status.failed = c.failed;
  if (c.completedIndexes !== undefined) status.completedIndexes = c.completedIndexes;
  return status;
}
