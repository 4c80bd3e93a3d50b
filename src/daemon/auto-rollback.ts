import type { SourceConfig } from '../config/index.js';
import type { Fence } from '../lease/index.js';
import { parseSyncKey, type Reconciler } from '../queue/index.js';
import { RevertConflictError, RollbackError, rollbackSource } from '../rollback/index.js';
import type { SourceSet } from '../source/index.js';
import type { BerthEvent, SourceStateStore } from '../store/index.js';
import { errorMessage } from '../util/berth-error.js';
import type { Logger } from '../util/logger.js';

/** What the automated rollback needs: the sources (git), their states, events, and the pin. */
export interface AutoRollbackDeps {
  sources: readonly SourceConfig[];
  stateDir: string;
  states: SourceStateStore;
  /** The running watchers: asked to look again once a revert is committed. */
  watchers(): SourceSet | undefined;
  /** Pins a source to `good` (ControllerWorkers.pin). */
  pin(source: string, good: string, bad: string, flag: string): Promise<boolean>;
  record(event: BerthEvent): Promise<void>;
  /** The leader's fence: the source-state writes are made only while it holds. */
  fence?: Fence;
  /** The leader's check right before the git write (the branch moves or is pushed). */
  check?: () => Promise<void>;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
}

/**
 * The rollback queue's reconciler (key `source@revision`, enqueued when that revision's rollout
 * settled Degraded): when the source's `rollback.enabled`, commits on its branch a revert of the
 * commits after its last healthy revision up to the degraded one (later commits are kept), pushed
 * for a remote, then has the watcher look again so Berth converges to the revert like to any
 * commit. It never reverts a revert, stops after `rollback.maxConsecutive` rollbacks in a row,
 * and when the revert cannot be committed (conflict, push denied) pins the source to the last
 * healthy revision; each of those flags the source until a new commit arrives.
 */
export function autoRollbackReconciler(deps: AutoRollbackDeps): Reconciler {
  return async (_ctx, key) => {
    const { source: name, revision: bad } = parseSyncKey(key);
    const source = deps.sources.find((s) => s.name === name);
    const state = await deps.states.get(name);
    if (!source?.rollback.enabled || !state) return;
    // Only the revision that runs (or whose ordered sync failed), still degraded, is rolled back:
    // anything newer is its own story.
    if (
      (state.applied !== bad && state.failed !== bad) ||
      state.health !== 'Degraded' ||
      state.pinned
    )
      return;
    const log = deps.logger.child({ source: name, revision: bad.slice(0, 7) });
    const object = { kind: 'Source', namespace: '', name };
    const flag = async (reason: string, message: string) => {
      log.error(message);
      await deps.states.update(name, { flag: message }, deps.fence);
      await deps.record({ type: 'Warning', reason, object, message, source: name, revision: bad });
    };
    const good = state.lastHealthy;
    if (!good || good === bad) {
      return flag(
        'RollbackImpossible',
        `revision ${bad.slice(0, 7)} is degraded and no earlier revision was healthy: nothing to roll back to`,
      );
    }
    if (state.targetIsRevert) {
      return flag(
        'RollbackRefused',
        `revision ${bad.slice(0, 7)} is a revert and is degraded: Berth never reverts a revert; fix it with a new commit`,
      );
    }
    const done = state.rollbacks ?? 0;
    if (done >= source.rollback.maxConsecutive) {
      return flag(
        'RollbackLimitReached',
        `revision ${bad.slice(0, 7)} is degraded after ${done} rollbacks in a row (rollback.maxConsecutive): automated rollback stops until a revision turns healthy`,
      );
    }
    const why = `${state.healthMessage ?? 'the rollout is degraded'}`;
    try {
      const result = await rollbackSource({
        source,
        stateDir: deps.stateDir,
        to: good,
        bad,
        reason: `Berth rolled back ${bad.slice(0, 7)}: its rollout is degraded.\n${why}`,
        ...(deps.check ? { beforeWrite: deps.check } : {}),
        ...(deps.env ? { env: deps.env } : {}),
      });
      if (result.existing) {
        // A leader that died after committing the revert: it is there; converge to it.
        log.warn(
          `${result.commit.slice(0, 7)} already reverts ${bad.slice(0, 7)}: nothing to commit`,
        );
        await deps.watchers()?.get(name)?.refresh('manual');
        return;
      }
      await deps.states.update(name, { rollbacks: done + 1 }, deps.fence);
      const message = `rolled back to ${good.slice(0, 7)}: ${result.commit.slice(0, 7)} reverts ${result.reverted.map((c) => c.sha.slice(0, 7)).join(', ')} (${why})${result.pushed ? `; pushed to ${result.branch}` : ''}`;
      log.warn(message);
      await deps.record({
        type: 'Warning',
        reason: 'RolledBack',
        object,
        message,
        source: name,
        revision: result.commit,
      });
      await deps.watchers()?.get(name)?.refresh('manual');
    } catch (err) {
      if (!(err instanceof RevertConflictError || err instanceof RollbackError)) throw err;
      const pinned = await deps.pin(
        name,
        good,
        bad,
        `rollback of ${bad.slice(0, 7)} refused: ${errorMessage(err)}; pinned to ${good.slice(0, 7)} until a new commit`,
      );
      const message = pinned
        ? `could not commit the rollback of ${bad.slice(0, 7)} (${errorMessage(err)}): pinned to the last healthy revision ${good.slice(0, 7)} until a new commit arrives`
        : `could not commit the rollback of ${bad.slice(0, 7)} (${errorMessage(err)}), and revision ${good.slice(0, 7)} is no longer in Redis to pin to`;
      log.error(message);
      if (!pinned) await deps.states.update(name, { flag: message }, deps.fence);
      await deps.record({
        type: 'Warning',
        reason: pinned ? 'Pinned' : 'RollbackFailed',
        object,
        message,
        source: name,
        revision: bad,
      });
    }
  };
}
