import type { JobCondition, JobStatus } from '../../manifests/generated/k8s-status.js';
import { setCondition } from '../conditions.js';

export type { JobCondition, JobStatus } from '../../manifests/generated/k8s-status.js';

/** The condition of a finished job (Complete or Failed, True), if it finished. */
export function finishedCondition(status: JobStatus | undefined): JobCondition | undefined {
  return status?.conditions?.find(
    (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}

/** Sets a Job condition (setCondition), probed now. */
export function setJobCondition(
  conditions: readonly JobCondition[] | undefined,
  next: Omit<JobCondition, 'lastProbeTime' | 'lastTransitionTime'>,
  now: string,
): JobCondition[] {
  return setCondition(conditions, { ...next, lastProbeTime: now }, now);
}

/** Completion indexes as Kubernetes writes them: sorted, runs as `first-last`, joined by commas. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    runs.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return runs.join(',');
}
