import { Cron } from 'croner';
import type { SyncWindow } from '../config/index.js';

export type { SyncWindow };

/** Whether syncs may run now, and if not, why and until when. */
export interface WindowVerdict {
  open: boolean;
  /** Why the windows hold revisions back (when closed). */
  message?: string;
  /** When the verdict may change next (a window opens or closes), if ever. */
  changesAt?: Date;
}

/** The window's opening time that contains `now`, if it is active. */
function activeSince(w: SyncWindow, now: Date): Date | undefined {
  const cron = new Cron(w.schedule, { timezone: w.timeZone ?? 'Etc/UTC' });
  const start = cron.nextRun(new Date(now.getTime() - w.durationMs));
  return start && start.getTime() <= now.getTime() ? start : undefined;
}

function nextStart(w: SyncWindow, now: Date): Date | undefined {
  return new Cron(w.schedule, { timezone: w.timeZone ?? 'Etc/UTC' }).nextRun(now) ?? undefined;
}

/**
 * Argo CD's rule: with no window, always open; an active deny window closes (deny wins over
 * allow); when allow windows exist, it is open only while one of them is active. Pure.
 */
export function windowVerdict(windows: readonly SyncWindow[], now: Date): WindowVerdict {
  if (windows.length === 0) return { open: true };
  const describe = (w: SyncWindow) =>
    `${w.kind} window "${w.schedule}"${w.timeZone ? ` (${w.timeZone})` : ''} for ${Math.round(w.durationMs / 60_000)}m`;
  const denies = windows
    .filter((w) => w.kind === 'deny')
    .map((w) => ({ w, since: activeSince(w, now) }))
    .filter((d): d is { w: SyncWindow; since: Date } => d.since !== undefined);
  if (denies.length > 0) {
    const until = new Date(Math.max(...denies.map((d) => d.since.getTime() + d.w.durationMs)));
    return {
      open: false,
      message: `the ${describe(denies[0]?.w as SyncWindow)} is active until ${until.toISOString()}`,
      changesAt: until,
    };
  }
  const allows = windows.filter((w) => w.kind === 'allow');
  if (allows.length === 0) return { open: true };
  const active = allows
    .map((w) => ({ w, since: activeSince(w, now) }))
    .filter((a): a is { w: SyncWindow; since: Date } => a.since !== undefined);
  if (active.length > 0) {
    const until = new Date(Math.max(...active.map((a) => a.since.getTime() + a.w.durationMs)));
    return { open: true, changesAt: until };
  }
  const next = allows
    .map((w) => nextStart(w, now))
    .filter((d): d is Date => d !== undefined)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    open: false,
    message: `no allow window is active${next ? `; the next opens at ${next.toISOString()}` : ''}`,
    ...(next ? { changesAt: next } : {}),
  };
}
