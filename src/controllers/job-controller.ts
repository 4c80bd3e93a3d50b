import type { JobSpec } from '../manifests/generated/k8s-objects.js';
import type { Result } from '../queue/index.js';
import { controllerOf, ofKind, type Stored } from '../store/index.js';
import { objectKey } from '../util/object-key.js';
import {
  type Controller,
  type ControllerContext,
  type ControllerDeps,
  type ObjectRequest,
  recordEvent,
} from './controller.js';
import { finishedCondition, type JobPod, type JobSettings, jobStep } from './job/index.js';
import { createPodFromTemplate, deleteChildren, generateName } from './owned.js';
import { podFacts } from './pod-facts.js';
import { canonicalJson } from './rollout/index.js';

/** The label (and annotation) with an Indexed job pod's completion index. */
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** The label with the name of the job a pod runs for. */
export const JOB_NAME = 'batch.kubernetes.io/job-name';
/** The label with the uid of the job a pod runs for. */
export const JOB_CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';

/**
 * Job: runs pods `<name>-<random>` (Indexed: `<name>-<index>-<random>`, with
 * JOB_COMPLETION_INDEX in their environment) until `completions` succeeded, `parallelism` at a
 * time, replacing failed ones up to backoffLimit, within activeDeadlineSeconds; then the
 * Complete or Failed condition, and the pods are kept for `berth logs`. A finished job is deleted
 * (with its pods) ttlSecondsAfterFinished later. Wakes its owner (a CronJob) when its status changes.
 */
export const jobController: Controller<'Job'> = {
  kind: 'Job',
  queue: 'reconcile',
  reconcile: reconcileJob,
};

async function reconcileJob(
  deps: ControllerContext,
  { key, namespace }: ObjectRequest,
  job: Stored<'Job'> | undefined,
): Promise<Result | undefined> {
  if (!job) return;
  const spec = job.spec;
  const previous = job.status;
  const nowMs = deps.now().getTime();

  // A finished job with a time to live goes when that runs out.
  const done = finishedCondition(previous);
  if (done && spec.ttlSecondsAfterFinished !== undefined) {
    const finishedMs = Date.parse(previous?.completionTime ?? done.lastTransitionTime);
    const expiresMs = finishedMs + spec.ttlSecondsAfterFinished * 1000;
    if (nowMs >= expiresMs) {
      await deps.store.delete(key);
      await deleteChildren(deps, key);
      const owner = controllerOf(job);
      if (owner) await deps.enqueue(owner);
      deps.logger.info(
        { job: key },
        'deleted a finished job whose ttlSecondsAfterFinished ran out',
      );
      return;
    }
  }

  const settings: JobSettings = {
    ...(spec.completions !== undefined || spec.parallelism === undefined
      ? { completions: spec.completions ?? 1 }
      : {}),
    parallelism: spec.parallelism ?? 1,
    backoffLimit: spec.backoffLimit ?? 6,
    ...(spec.activeDeadlineSeconds !== undefined
      ? { activeDeadlineSeconds: spec.activeDeadlineSeconds }
      : {}),
    completionMode: spec.completionMode ?? 'NonIndexed',
    restartPolicy: spec.template.spec.restartPolicy === 'OnFailure' ? 'OnFailure' : 'Never',
    suspend: spec.suspend ?? false,
  };
  const pods = ofKind(await deps.store.children(key), 'Pod');
  const step = jobStep(settings, previous, pods.map(jobPod), nowMs);

  for (const podName of step.delete) {
    const podKey = objectKey('Pod', namespace, podName);
    await deps.store.delete(podKey);
    await deps.enqueue(podKey);
    await recordEvent(deps, job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${podName}`);
  }
  for (const index of step.create) await createPod(deps, job, spec, index);
  if (step.reached) {
    const failed = step.reached.type === 'Failed';
    await recordEvent(
      deps,
      job,
      failed ? 'Warning' : 'Normal',
      failed ? (step.reached.reason ?? 'Failed') : 'Completed',
      failed ? (step.reached.message ?? 'Job failed') : 'Job completed',
    );
  }
  if (canonicalJson(step.status) !== canonicalJson(previous)) {
    await deps.store.putStatus(key, step.status);
    const owner = controllerOf(job);
    if (owner) await deps.enqueue(owner);
  }

  // Look again at the deadline, the end of a backoff, or the end of the time to live.
  let wake = step.requeueAfterMs;
  const finished = finishedCondition(step.status);
  if (finished && spec.ttlSecondsAfterFinished !== undefined) {
    const finishedMs = Date.parse(step.status.completionTime ?? finished.lastTransitionTime);
    const ttlWake = Math.max(0, finishedMs + spec.ttlSecondsAfterFinished * 1000 - nowMs) + 50;
    wake = Math.min(wake ?? ttlWake, ttlWake);
  }
  return wake === undefined ? {} : { requeueAfterMs: wake };
}

function jobPod(pod: Stored<'Pod'>): JobPod {
  const index = pod.metadata.annotations?.[JOB_COMPLETION_INDEX];
  return { ...podFacts(pod), ...(index !== undefined ? { index: Number(index) } : {}) };
}

async function createPod(
  deps: ControllerDeps,
  job: Stored<'Job'>,
  spec: JobSpec,
  index: number | undefined,
): Promise<void> {
  const { template } = spec;
  const name = job.metadata.name;
  const labels: Record<string, string> = {
    [JOB_CONTROLLER_UID]: job.metadata.uid,
    [JOB_NAME]: name,
    'controller-uid': job.metadata.uid,
    'job-name': name,
  };
  const annotations: Record<string, string> = {};
  const podSpec = structuredClone(template.spec);
  if (index !== undefined) {
    // Indexed: the index in a label, an annotation and every container's environment.
    labels[JOB_COMPLETION_INDEX] = String(index);
    annotations[JOB_COMPLETION_INDEX] = String(index);
    podSpec.hostname ??= `${name}-${index}`.slice(0, 63);
    for (const c of podSpec.containers) {
      c.env = [
        ...(c.env ?? []),
        {
          name: 'JOB_COMPLETION_INDEX',
          valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX}']` } },
        },
      ];
    }
  }
  const object = await createPodFromTemplate(deps, job, {
    name: generateName(index === undefined ? name : `${name}-${index}`),
    namespace: job.metadata.namespace ?? 'default',
    template,
    labels,
    annotations,
    spec: podSpec,
  });
  await recordEvent(
    deps,
    job,
    'Normal',
    'SuccessfulCreate',
    `Created pod: ${object.metadata.name}`,
  );
}
