import { describe, expect, it } from 'vitest';
import type { SourceState, SourceStateStore } from '../../../src/store/index.js';
import { windowVerdict } from '../../../src/sync/index.js';
import { syncGate } from '../../../src/sync/sync-gate.js';

/** Source states in memory: all syncGate reads of the store. */
function states(list: SourceState[]): SourceStateStore {
  return { get: async (name: string) => list.find((s) => s.name === name) } as SourceStateStore;
}

function source(name: string, extra: Partial<SourceState> = {}): SourceState {
  return {
    name,
    repo: `/tmp/${name}`,
    ref: 'branch main',
    prune: true,
    selfHeal: true,
    suspended: false,
    sync: 'Synced',
    health: 'Healthy',
    target: 'b'.repeat(40),
    applied: 'b'.repeat(40),
    ...extra,
  };
}

const now = new Date('2026-12-02T22:30:00Z');
const deny = (manualSync: boolean) => ({
  kind: 'deny' as const,
  schedule: '0 22 * * *',
  durationMs: 3600_000,
  manualSync,
});

describe('syncGate: what holds a revision back', () => {
  const app = (extra: Partial<SourceState> = {}) =>
    source('app', { target: 'a'.repeat(40), applied: undefined, sync: 'OutOfSync', ...extra });

  it('a dependency not Healthy and Synced at its current target holds it, naming why', async () => {
    for (const [db, where] of [
      [undefined, 'it has no revision yet'],
      [source('db', { health: 'Progressing', sync: 'Syncing' }), 'it is Syncing, Progressing'],
      [source('db', { target: 'c'.repeat(40) }), 'applying ccccccc'],
      [source('db', { health: 'Degraded' }), 'it is Synced, Degraded'],
    ] as const) {
      const gate = await syncGate(states(db ? [db] : []), app({ dependsOn: ['db'] }), now);
      expect(gate?.message).toContain('waiting for source db to be Healthy');
      expect(gate?.message).toContain(where);
    }
    expect(await syncGate(states([source('db')]), app({ dependsOn: ['db'] }), now)).toBe(undefined);
    // An ordered sync under way (at its step 2) goes on; a window still pauses it.
    const started = app({ dependsOn: ['db'], step: `${'a'.repeat(40)}:2` });
    expect(await syncGate(states([]), started, now)).toBe(undefined);
    expect(
      (await syncGate(states([]), { ...started, syncWindows: [deny(false)] }, now))?.message,
    ).toContain('sync window closed');
  });

  it('a closed window holds it and says until when; a rollback passes unless configured', async () => {
    const held = await syncGate(states([]), app({ syncWindows: [deny(false)] }), now);
    expect(held?.message).toBe(
      'sync window closed: the deny window "0 22 * * *" for 60m is active until 2026-12-02T23:00:00.000Z',
    );
    // Looked at again just after the window closes (at most a minute later).
    expect(held?.retryMs).toBe(60_000);
    expect(
      (
        await syncGate(
          states([]),
          app({ syncWindows: [deny(false)] }),
          new Date('2026-12-02T22:59:30Z'),
        )
      )?.retryMs,
    ).toBe(30_050);
    expect(
      await syncGate(states([]), app({ syncWindows: [deny(false)], targetIsRevert: true }), now),
    ).toBe(undefined);
    expect(
      (
        await syncGate(
          states([]),
          app({ syncWindows: [deny(false)], targetIsRevert: true, rollbackRespectsWindows: true }),
          now,
        )
      )?.message,
    ).toContain('sync window closed');
  });

  it('a manual sync of the target passes a window with manualSync, not one without (Argo CD)', async () => {
    const target = 'a'.repeat(40);
    expect(
      await syncGate(states([]), app({ syncWindows: [deny(true)], manualSync: target }), now),
    ).toBe(undefined);
    // Asked for an older revision: the new target is no manual sync.
    const older = await syncGate(
      states([]),
      app({ syncWindows: [deny(true)], manualSync: 'f'.repeat(40) }),
      now,
    );
    expect(older?.message).toContain('manualSync: a sync asked for through the API');
    expect(
      (await syncGate(states([]), app({ syncWindows: [deny(false)], manualSync: target }), now))
        ?.message,
    ).toContain('sync window closed');
  });
});

describe('windowVerdict: until when a window holds', () => {
  it('a schedule firing again before its duration ends extends the window (Argo CD: active while any firing is)', () => {
    // "* 10 * * *" fires every minute from 10:00 to 10:59, each for 2h: active until 12:59.
    const v = windowVerdict(
      [{ kind: 'deny', schedule: '* 10 * * *', durationMs: 2 * 3600_000, manualSync: false }],
      new Date('2026-12-02T11:00:00Z'),
    );
    expect(v.open).toBe(false);
    expect(v.changesAt?.toISOString()).toBe('2026-12-02T12:59:00.000Z');
    expect(
      windowVerdict(
        [{ kind: 'deny', schedule: '* 10 * * *', durationMs: 2 * 3600_000, manualSync: false }],
        new Date('2026-12-02T12:58:59Z'),
      ).open,
    ).toBe(false);
  });

  it('a window that never ends says so', () => {
    const v = windowVerdict(
      [{ kind: 'deny', schedule: '* * * * *', durationMs: 3600_000, manualSync: false }],
      new Date('2026-12-02T11:00:00Z'),
    );
    expect(v).toMatchObject({ open: false });
    expect(v.message).toContain('with no end in sight');
    expect(v.changesAt).toBeUndefined();
  });
});
