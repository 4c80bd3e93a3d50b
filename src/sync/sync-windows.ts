import { Cron } from 'croner';
import type { SyncWindow } from '../config/index.js';

export type { SyncWindow };

/** Whether syncs may run now, and if not, why and until when. */
export interface WindowVerdict {
  open: boolean;
  /** Why the windows hold revisions back (when closed). */
  message?: string;
  /** When a closed verdict may change next (the deny windows close, an allow window opens), if known. */
  changesAt?: Date;
}

/** What {@link windowVerdict} is asked about besides the time. */
export interface WindowQuery {
  /** A sync a person asked for (the API's sync action), which windows with `manualSync` let through. Default false. */
  manual?: boolean;
}

/** A window's schedule, read in its time zone (UTC by default). */
function cron(w: SyncWindow): Cron {
  return new Cron(w.schedule, { timezone: w.timeZone ?? 'Etc/UTC' });
}

/**
 * The first opening of `w` within its duration before `now`, when `w` is active at `now`:
 * Argo CD's `SyncWindow.active`, a window is active when its schedule fires after
 * `now - duration` and strictly before `now`.
 */
function activeSince(w: SyncWindow, now: Date): Date | undefined {
  const start = cron(w).nextRun(new Date(now.getTime() - w.durationMs));
  return start && start.getTime() < now.getTime() ? start : undefined;
}

/** Whether one window is active at `now` (Argo CD's `SyncWindow.active`). Pure. */
export function windowActive(w: SyncWindow, now: Date): boolean {
  return activeSince(w, now) !== undefined;
}

/** Openings followed to find where an active window ends (a schedule firing every minute for a day). */
const MAX_OPENINGS = 1_500;

/**
 * When an active window stops being active: each opening keeps it active for its duration, and
 * an opening before that end extends it (a schedule `* 10 * * *` for 2h is active from 10:00
 * to 12:59). Undefined when it does not end within {@link MAX_OPENINGS} openings.
 */
function activeUntil(w: SyncWindow, since: Date): Date | undefined {
  const schedule = cron(w);
  let end = since.getTime() + w.durationMs;
  let at: Date | null = since;
  for (let i = 0; i < MAX_OPENINGS; i++) {
    at = schedule.nextRun(at);
    if (!at || at.getTime() >= end) return new Date(end);
    end = at.getTime() + w.durationMs;
  }
  return undefined;
}

function nextStart(w: SyncWindow, now: Date): Date | undefined {
  return cron(w).nextRun(now) ?? undefined;
}

function describe(w: SyncWindow): string {
  return `${w.kind} window "${w.schedule}"${w.timeZone ? ` (${w.timeZone})` : ''} for ${Math.round(w.durationMs / 60_000)}m`;
}

/**
 * Argo CD's `SyncWindows.CanSync`: with no window, always open. An active deny window closes
 * (deny wins over allow), unless the sync is manual and every active deny window has
 * `manualSync`. Otherwise an active allow window opens. Otherwise, when allow windows exist
 * (none active), closed, unless the sync is manual and every allow window has `manualSync`.
 * Otherwise (only inactive deny windows) open. Pure.
 */
export function windowVerdict(
  windows: readonly SyncWindow[],
  now: Date,
  query: WindowQuery = {},
): WindowVerdict {
  if (windows.length === 0) return { open: true };
  const manual = query.manual ?? false;
  const denies = windows
    .filter((w) => w.kind === 'deny')
    .map((w) => ({ w, since: activeSince(w, now) }))
    .filter((d): d is { w: SyncWindow; since: Date } => d.since !== undefined);
  if (denies.length > 0) {
    if (manual && denies.every((d) => d.w.manualSync)) return { open: true };
    const ends = denies.map((d) => activeUntil(d.w, d.since));
    const until = ends.every((e) => e !== undefined)
      ? new Date(Math.max(...ends.map((e) => (e as Date).getTime())))
      : undefined;
    const first = denies[0]?.w as SyncWindow;
    return {
      open: false,
      message: `the ${describe(first)} is active ${until ? `until ${until.toISOString()}` : 'with no end in sight'}${manualHint(
        denies.map((d) => d.w),
        manual,
      )}`,
      ...(until ? { changesAt: until } : {}),
    };
  }
  const allows = windows.filter((w) => w.kind === 'allow');
  if (allows.length === 0) return { open: true };
  // Open while an allow window is active (when it closes is not looked for: nothing waits on it).
  if (allows.some((w) => windowActive(w, now))) return { open: true };
  if (manual && allows.every((w) => w.manualSync)) return { open: true };
  const next = allows
    .map((w) => nextStart(w, now))
    .filter((d): d is Date => d !== undefined)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    open: false,
    message: `no allow window is active${next ? `; the next opens at ${next.toISOString()}` : ''}${manualHint(allows, manual)}`,
    ...(next ? { changesAt: next } : {}),
  };
}

/** Says that a manual sync would pass, when every closing window has `manualSync`. */
function manualHint(closing: readonly SyncWindow[], manual: boolean): string {
  return !manual && closing.every((w) => w.manualSync)
    ? ' (manualSync: a sync asked for through the API or dashboard passes)'
    : '';
}
