import { Cron } from 'croner';
import { ScheduleError } from './schedule-error.js';

/** A CronJob's schedule, read once: the times it fires, in its time zone. */
export interface CronSchedule {
  /** The first time strictly after `afterMs` (ms since the epoch). */
  next(afterMs: number): number | undefined;
  /** The latest time at or before `atMs`. */
  latest(atMs: number): number | undefined;
}

/** The macros Kubernetes (robfig/cron) accepts besides five fields. */
const MACROS = new Set([
  '@yearly',
  '@annually',
  '@monthly',
  '@weekly',
  '@daily',
  '@midnight',
  '@hourly',
]);

/**
 * Reads a CronJob's `schedule`, five fields (minute hour day-of-month month day-of-week, with
 * ranges, lists, steps and names; day-of-month and day-of-week ORed when both are restricted, as
 * cron does) or a macro (@hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually), in
 * `timeZone` (an IANA name; default the host's local zone, as kube-controller-manager's).
 * Throws {@link ScheduleError} for anything else.
 */
export function compileSchedule(schedule: string, timeZone?: string): CronSchedule {
  const text = schedule.trim();
  if (timeZone !== undefined && !validTimeZone(timeZone)) {
    throw new ScheduleError('UnknownTimeZone', `unknown time zone "${timeZone}"`, { timeZone });
  }
  if (text.startsWith('@') ? !MACROS.has(text.toLowerCase()) : text.split(/\s+/).length !== 5) {
    throw invalid(
      schedule,
      'expected five fields (minute hour day month weekday) or a macro like @hourly',
    );
  }
  let cron: Cron;
  try {
    cron = new Cron(text.toLowerCase() === '@midnight' ? '@daily' : text, {
      mode: '5-part',
      ...(timeZone !== undefined ? { timezone: timeZone } : {}),
    });
  } catch (err) {
    throw invalid(schedule, err instanceof Error ? err.message.replace(/^CronPattern: /, '') : '');
  }
  return {
    next: (afterMs) => cron.nextRun(new Date(afterMs))?.getTime(),
    latest: (atMs) => {
      // previousRuns looks strictly before its reference: a time exactly at atMs counts too.
      const runs = cron.previousRuns(2, new Date(atMs + 1000));
      return runs.map((d) => d.getTime()).find((t) => t <= atMs);
    },
  };
}

function invalid(schedule: string, detail: string): ScheduleError {
  return new ScheduleError('InvalidSchedule', `invalid schedule "${schedule}": ${detail}`, {
    schedule,
  });
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
