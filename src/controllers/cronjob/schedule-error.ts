import { BerthError } from '../../util/berth-error.js';

/**
 * A CronJob whose schedule or timeZone cannot be read: code `InvalidSchedule` or
 * `UnknownTimeZone`, data `{ schedule }` or `{ timeZone }`. It needs a change in Git, not a retry.
 */
export class ScheduleError extends BerthError {}
