import { Cron } from 'croner';
import { parseDuration } from '../util/duration.js';
import type { SyncWindow } from './berth-config.js';
import { ConfigError } from './config-error.js';
import type { BerthConfigFile } from './generated/berth-config-file.js';

type SourceFile = NonNullable<BerthConfigFile['sources']>[number];

/** `sources[i].syncWindows` compiled: each schedule parsed, each time zone known, durations in ms. */
export function compileSyncWindows(
  raw: NonNullable<SourceFile['syncWindows']>,
  field: string,
  name: string,
): SyncWindow[] {
  return raw.map((w, i) => {
    const at = `${field}.syncWindows[${i}]`;
    if (w.timeZone !== undefined) {
      try {
        new Intl.DateTimeFormat('en', { timeZone: w.timeZone });
      } catch {
        throw new ConfigError(
          `${at} (${name}): unknown time zone "${w.timeZone}" (an IANA name, like Europe/Paris)`,
          {
            field: `${at}.timeZone`,
          },
        );
      }
    }
    if (w.schedule.trim().split(/\s+/).length !== 5) {
      throw new ConfigError(
        `${at} (${name}): schedule "${w.schedule}" must be a cron expression of 5 fields (minute hour day-of-month month day-of-week)`,
        { field: `${at}.schedule` },
      );
    }
    // Argo CD's cron parser (robfig/cron) knows days of the week 0-6 only: a 7 is refused there
    // (the window never works), so it is refused here rather than read as Sunday.
    const dayOfWeek = w.schedule.trim().split(/\s+/)[4] ?? '';
    const seven = dayOfWeek.match(/(?<![/\d])([7-9]|\d{2,})(?!\d)/);
    if (seven) {
      throw new ConfigError(
        `${at} (${name}): schedule "${w.schedule}": day of week ${seven[1]} is out of range (0-6, Sunday is 0, as Argo CD)`,
        { field: `${at}.schedule` },
      );
    }
    try {
      new Cron(w.schedule, { timezone: w.timeZone ?? 'Etc/UTC' });
    } catch (err) {
      throw new ConfigError(
        `${at} (${name}): schedule "${w.schedule}": ${(err as Error).message}`,
        {
          field: `${at}.schedule`,
        },
      );
    }
    return {
      kind: w.kind,
      schedule: w.schedule,
      durationMs: parseDuration(w.duration),
      ...(w.timeZone ? { timeZone: w.timeZone } : {}),
      manualSync: w.manualSync ?? false,
    };
  });
}

/**
 * Checks `dependsOn` across sources: every name is a source, none depends on itself, and there
 * is no cycle (named in the error, like `a → b → a`).
 */
export function checkDependencies(
  sources: ReadonlyArray<{ name: string; dependsOn: string[] }>,
): void {
  const byName = new Map(sources.map((s) => [s.name, s]));
  sources.forEach((s, i) => {
    for (const dep of s.dependsOn) {
      if (!byName.has(dep))
        throw new ConfigError(`sources[${i}].dependsOn (${s.name}): no source is named "${dep}"`, {
          field: `sources[${i}].dependsOn`,
        });
    }
  });
  const done = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (done.has(name)) return;
    const at = path.indexOf(name);
    if (at >= 0) {
      const cycle = [...path.slice(at), name];
      throw new ConfigError(`sources: dependsOn makes a cycle: ${cycle.join(' → ')}`, {
        field: 'sources',
        cycle,
      });
    }
    for (const dep of byName.get(name)?.dependsOn ?? []) visit(dep, [...path, name]);
    done.add(name);
  };
  for (const s of sources) visit(s.name, []);
}
