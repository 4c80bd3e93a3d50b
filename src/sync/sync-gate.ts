import type { SourceState, SourceStateStore } from '../store/index.js';
import { windowVerdict } from './sync-windows.js';

/** Why a source's new revision waits, and when to look again. */
export interface SyncGate {
  message: string;
  retryMs: number;
}

/** How often a revision waiting for another source looks again. */
const DEPENDENCY_RETRY_MS = 2_000;

/**
 * Whether a source's target revision may be applied now: every source it depends on must be
 * Healthy and Synced at its current target (Flux's dependsOn), and its sync windows open
 * (Argo CD's rule; a rollback passes closed windows unless `rollbackRespectsWindows`; a revision
 * a person asked to sync is a manual sync, which windows with `manualSync` let pass).
 * Returns undefined when it may, else why not.
 */
export async function syncGate(
  states: SourceStateStore,
  state: SourceState,
  now: Date,
): Promise<SyncGate | undefined> {
  // Flux checks dependencies before it applies: an ordered sync under way is not paused by a
  // dependency that moves on meanwhile (a closed window pauses it, as Argo CD's).
  const started = state.target !== undefined && state.step?.startsWith(`${state.target}:`);
  for (const name of started ? [] : (state.dependsOn ?? [])) {
    const dep = await states.get(name);
    const ready =
      dep?.target !== undefined &&
      dep.applied === dep.target &&
      dep.sync === 'Synced' &&
      dep.health === 'Healthy';
    if (!ready) {
      const where = dep
        ? `it is ${dep.sync}, ${dep.health}${dep.target && dep.applied !== dep.target ? `, applying ${dep.target.slice(0, 7)}` : ''}`
        : 'it has no revision yet';
      return {
        message: `waiting for source ${name} to be Healthy at its current revision (${where})`,
        retryMs: DEPENDENCY_RETRY_MS,
      };
    }
  }
  const windows = state.syncWindows ?? [];
  if (windows.length === 0 || (state.targetIsRevert && !state.rollbackRespectsWindows)) return;
  const verdict = windowVerdict(windows, now, {
    manual: state.manualSync !== undefined && state.manualSync === state.target,
  });
  if (verdict.open) return;
  const untilChange = verdict.changesAt ? verdict.changesAt.getTime() - now.getTime() : 60_000;
  return {
    message: `sync window closed: ${verdict.message}`,
    retryMs: Math.min(60_000, Math.max(1_000, untilChange + 50)),
  };
}
