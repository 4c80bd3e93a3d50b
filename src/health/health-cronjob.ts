import type { Health } from './health-status.js';

/** The fields of a batch/v1 CronJob this rule reads. */
export interface CronJobLike {
  spec?: { suspend?: boolean };
}

/** A CronJob is Suspended when suspended, else Healthy: the Jobs it creates carry their own health. */
export function cronJobHealth(cj: CronJobLike): Health {
  if (cj.spec?.suspend)
    return { status: 'Suspended', reason: 'CronJobSuspended', message: 'CronJob is suspended' };
  return { status: 'Healthy', reason: 'Scheduled' };
}
