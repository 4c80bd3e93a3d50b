// The pure parts of the CronJob controller: reading a schedule, and one step.
export { type CronSchedule, compileSchedule } from './cron-schedule.js';
export {
  type CronJobChild,
  type CronJobSettings,
  type CronJobStatus,
  type CronJobStep,
  cronJobStep,
  type JobReference,
  MAX_MISSED_TIMES,
} from './cronjob-step.js';
export { ScheduleError } from './schedule-error.js';
