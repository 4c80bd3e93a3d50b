import { type Condition, findCondition, type Health } from './health-status.js';

/** The fields of a batch/v1 Job this rule reads. */
export interface JobLike {
  spec?: { suspend?: boolean };
  status?: { conditions?: Condition[]; active?: number; succeeded?: number; failed?: number };
}

/** A Job is Healthy when Complete, Degraded when Failed, Suspended when suspended, else Progressing. */
export function jobHealth(job: JobLike): Health {
  const failed = findCondition(job.status?.conditions, 'Failed');
  if (failed?.status === 'True') {
    return {
      status: 'Degraded',
      reason: failed.reason ?? 'JobFailed',
      message: failed.message ?? 'Job failed',
    };
  }
  const complete = findCondition(job.status?.conditions, 'Complete');
  if (complete?.status === 'True')
    return { status: 'Healthy', reason: 'Complete', message: 'Job completed' };
  if (job.spec?.suspend)
    return { status: 'Suspended', reason: 'JobSuspended', message: 'Job is suspended' };
  return {
    status: 'Progressing',
    reason: 'JobRunning',
    message: `${job.status?.active ?? 0} active, ${job.status?.succeeded ?? 0} succeeded, ${job.status?.failed ?? 0} failed`,
  };
}
