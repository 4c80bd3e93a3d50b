import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type SyncWindow } from '../../src/config/index.js';
import { windowActive, windowVerdict } from '../../src/sync/index.js';
import { parseDuration } from '../../src/util/duration.js';
import { conformanceFixture } from './fixture.js';

/** `[kind, schedule, duration, timeZone?]`, as the fixture writes a window. */
type Row = [kind: 'allow' | 'deny', schedule: string, duration: string, timeZone?: string];

const f = conformanceFixture<{
  active: Array<{ name: string; windows: Row[]; at: string; active: number[] }>;
  inactiveAllows: Array<{ name: string; windows: Row[]; at: string; inactive: number[] }>;
  windowActive: Array<{ name: string; window: Row; at: string; active: boolean }>;
  canSync: Array<{
    name: string;
    windows: Array<['allow' | 'deny', 'active' | 'inactive', boolean]>;
    manual: boolean;
    canSync: boolean;
  }>;
  invalid: Array<{ name: string; window: Row; error: string }>;
}>('./argo-cd/sync-windows.yaml');

function window([kind, schedule, duration, timeZone]: Row, manualSync = false): SyncWindow {
  return {
    kind,
    schedule,
    durationMs: parseDuration(duration),
    ...(timeZone ? { timeZone } : {}),
    manualSync,
  };
}

const indexes = (windows: Row[], keep: (w: SyncWindow) => boolean) =>
  windows.flatMap((row, i) => (keep(window(row)) ? [i] : []));

describe('argo-cd pkg/apis/application/v1alpha1/types_test.go (sync windows)', () => {
  it.each(f.active.map((r) => [r.name, r] as const))('TestSyncWindows_Active %s', (_, r) => {
    expect(indexes(r.windows, (w) => windowActive(w, new Date(r.at)))).toEqual(r.active);
  });

  it.each(f.inactiveAllows.map((r) => [r.name, r] as const))(
    'TestSyncWindows_InactiveAllows %s',
    (_, r) => {
      expect(
        indexes(r.windows, (w) => w.kind === 'allow' && !windowActive(w, new Date(r.at))),
      ).toEqual(r.inactive);
    },
  );

  it.each(f.windowActive.map((r) => [r.name, r] as const))('TestSyncWindow_Active %s', (_, r) => {
    expect(windowActive(window(r.window), new Date(r.at))).toBe(r.active);
  });

  // Upstream's projectBuilder: an active window fires every minute, an inactive one ten hours
  // from now; each lasts 1h.
  const now = new Date('2026-12-02T12:00:00Z');
  it.each(f.canSync.map((r) => [r.name, r] as const))('TestSyncWindows_CanSync %s', (_, r) => {
    const windows = r.windows.map(([kind, when, manualSync]) =>
      window([kind, when === 'active' ? '* * * * *' : '0 22 * * *', '1h'], manualSync),
    );
    const verdict = windowVerdict(windows, now, { manual: r.manual });
    expect(verdict.open).toBe(r.canSync);
    if (!verdict.open) expect(verdict.message).toBeTruthy();
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'berth-windows-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it.each(f.invalid.map((r) => [r.name, r] as const))(
    'berth.yaml refuses what Argo CD cannot run: %s',
    (_, r) => {
      const [kind, schedule, duration] = r.window;
      const file = path.join(dir, 'berth.yaml');
      writeFileSync(
        file,
        `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nsources:\n  - name: a\n    repo: ${dir}\n    syncWindows: [{kind: ${kind}, schedule: "${schedule}", duration: ${duration}}]\n`,
      );
      expect(() => loadConfig({ path: file, env: {} })).toThrow(ConfigError);
      expect(() => loadConfig({ path: file, env: {} })).toThrow(r.error);
    },
  );
});
