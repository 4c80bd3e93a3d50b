import { type AggregateHealth, aggregateHealth } from '../health/index.js';
import { syncOptionsOfObject } from '../manifests/index.js';
import {
  isOrdered,
  makePlan,
  type Plan,
  type PlanObject,
  planKey,
  type SyncStep,
  stepLabel,
  syncFailHooks,
  syncSteps,
} from '../plan/index.js';
import { parseSyncKey, type Reconciler, TerminalError } from '../queue/index.js';
import type { SourceState } from '../store/index.js';
import {
  type InventoryEntry,
  SOURCE_ANNOTATION,
  type StoredObject,
  storeKey,
} from '../store/index.js';
import type { Logger } from '../util/logger.js';
import type { ConfigLookup } from './config-references.js';
import type { HookOutcome } from './hooks.js';
import {
  healthOf,
  partialInventory,
  runSyncFailHooks,
  type StepContext,
  stepVerdict,
  storeInput,
  writeStep,
} from './ordered-sync.js';
import type { SyncDeps } from './sync-deps.js';
import { syncGate } from './sync-gate.js';

/**
 * The sync job of `source@revision`: applies the revision to the object store once (creates
 * and updates in kind order, prune of what the previous revision applied and this one does not,
 * the inventory), enqueues every object for its controller, then follows the rollout: the
 * source's sync and health verdicts, progress lines, one event when it settles. A revision that
 * is no longer the source's target, or a suspended source, is left alone.
 */
export function syncReconciler(deps: SyncDeps): Reconciler {
  return async (_ctx, key) => {
    const { source, revision } = parseSyncKey(key);
    const state = await deps.states.get(source);
    if (!state || state.target !== revision) return; // superseded by a newer revision
    if (state.suspended) return;
    if (state.failed === revision) return; // its sync failed (a hook, a wave): a new commit or a rollback moves on
    const log = deps.logger.child({ source, revision: revision.slice(0, 7) });
    if (state.applied !== revision) {
      // A revision waits for the sources it depends on and for its sync windows.
      const gate = await syncGate(deps.states, state, deps.now());
      if (gate) {
        if (state.syncMessage !== gate.message) {
          log.info(`sync ${source}@${revision.slice(0, 7)} waits: ${gate.message}`);
          await deps.states.update(source, { sync: 'OutOfSync', syncMessage: gate.message });
          await deps.record({
            type: 'Normal',
            reason: 'SyncWaiting',
            object: { kind: 'Source', namespace: '', name: source },
            message: `revision ${revision.slice(0, 7)} waits: ${gate.message}`,
            source,
            revision,
          });
        }
        return { requeueAfterMs: gate.retryMs };
      }
      const applied = await apply(deps, state, revision, log);
      if (applied === 'failed') return;
      if (applied === 'waiting') return { requeueAfterMs: deps.progressMs ?? 500 };
      state.applied = revision;
      state.sync = 'Syncing';
    }
    const started = performance.now();
    const settled = await follow(deps, state, revision, log);
    if (settled) return { requeueAfterMs: deps.resyncMs ?? 30_000 };
    // A look reads every object of the revision: for a large source it is spaced out so that
    // looking takes at most a fifth of the time, or a rollout's cost would grow with the square
    // of its size (each look O(n), looks every 500 ms for as long as n objects take).
    const lookMs = performance.now() - started;
    return { requeueAfterMs: Math.max(deps.progressMs ?? 500, Math.round(4 * lookMs)) };
  };
}

/** How applying a revision went: all written, a step still waits, or it failed (reported). */
type ApplyOutcome = 'applied' | 'waiting' | 'failed';

async function apply(
  deps: SyncDeps,
  state: SourceState,
  revision: string,
  log: Logger,
): Promise<ApplyOutcome> {
  const source = state.name;
  const sourceObject = { kind: 'Source', namespace: '', name: source };
  const desired = await deps.revisions.load(source, revision);
  if (!desired) {
    throw new TerminalError(`the objects of revision ${revision} of ${source} are not in Redis`);
  }
  const previous = await deps.inventory.load(source);
  const plan = makePlan({ desired, live: previous?.entries ?? [], prune: state.prune });

  // An object another source manages is not taken over: the whole revision fails.
  const owners = await deps.store.getMany(desired.map(planKey));
  const taken = owners.filter((o) => {
    const owner = o.metadata.annotations?.[SOURCE_ANNOTATION];
    return owner !== undefined && owner !== source;
  });
  if (taken.length > 0) {
    const first = taken[0] as StoredObject;
    const message = `${storeKey(first)} belongs to source ${first.metadata.annotations?.[SOURCE_ANNOTATION]}; revision ${revision.slice(0, 7)} not applied`;
    await deps.states.update(source, { sync: 'Failed', syncMessage: message });
    await deps.record({
      type: 'Warning',
      reason: 'SyncFailed',
      object: sourceObject,
      message,
      source,
      revision,
    });
    log.error(message);
    return 'failed';
  }

  const byKey = new Map(desired.map((o) => [planKey(o), o]));
  const steps = syncSteps(plan);
  if (isOrdered(steps, plan)) return applyOrdered(deps, state, revision, plan, steps, byKey, log);

  await deps.states.update(source, { sync: 'Syncing', syncMessage: '' });
  const lookup = lookupIn(byKey);
  const kept: InventoryEntry[] = [];
  const applied: PlanObject[] = [];
  const keys: string[] = [];
  for (const action of plan.actions) {
    if (action.type === 'delete') {
      await deps.store.delete(action.key);
      keys.push(action.key);
      continue;
    }
    if (action.type === 'keep') {
      const entry = previous?.entries.find((e) => planKey(e) === action.key);
      if (entry) kept.push(keptEntry(entry));
      continue;
    }
    const object = byKey.get(action.key) as PlanObject;
    await deps.store.apply(storeInput(object, source, revision, lookup));
    applied.push(object);
    keys.push(action.key);
  }
  await deps.inventory.save(source, revision, [...applied, ...kept], deps.now());
  await deps.states.update(source, {
    applied: revision,
    appliedAt: deps.now().toISOString(),
    sync: 'Syncing',
  });
  // In order of the plan; ioredis pipelines the calls.
  await Promise.all(keys.map((key) => deps.enqueue(key)));
  await recordApplying(deps, source, revision, plan, log);
  return 'applied';
}

function lookupIn(byKey: ReadonlyMap<string, PlanObject>): ConfigLookup {
  return (kind, namespace, name) => byKey.get(`${kind}/${namespace}/${name}`)?.value;
}

/**
 * A kept inventory entry (left Git, prune disabled); Argo CD's IgnoreExtraneous marks it as
 * counting toward neither the source's sync nor its health.
 */
export function keptEntry(entry: InventoryEntry): InventoryEntry {
  return syncOptionsOfObject(entry.value).ignoreExtraneous ? { ...entry, extraneous: true } : entry;
}

async function recordApplying(
  deps: SyncDeps,
  source: string,
  revision: string,
  plan: Plan,
  log: Logger,
): Promise<void> {
  const s = plan.summary;
  const message = `applying revision ${revision.slice(0, 7)}: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.unchanged} unchanged${s.keep ? `, ${s.keep} kept` : ''}`;
  log.info(message);
  await deps.record({
    type: 'Normal',
    reason: 'Syncing',
    object: { kind: 'Source', namespace: '', name: source },
    message,
    source,
    revision,
  });
}

/** The step an ordered sync of `revision` stands at (0 when it has not started). */
function stepIndex(state: SourceState, revision: string): number {
  const [rev, index] = (state.step ?? '').split(':');
  return rev === revision ? Number(index) || 0 : 0;
}

function stepOutcomes(
  state: SourceState,
  revision: string,
  index: number,
): Record<string, HookOutcome> {
  if (stepIndex(state, revision) !== index || !state.stepHooks) return {};
  return JSON.parse(state.stepHooks) as Record<string, HookOutcome>;
}

/**
 * An ordered sync (waves, hooks): the steps before PostSync run one after the other, each once
 * the one before is Healthy (its hooks succeeded); the step is kept in the source's state, so a
 * restart resumes where it was. The last step's rollout is then followed like any revision's;
 * the PostSync hooks run once it is Healthy. A step that turns Degraded, or a failed hook,
 * fails the sync: the SyncFail hooks start and the revision is Degraded (what the automated
 * rollback acts on), with what was not applied yet left as it was.
 */
async function applyOrdered(
  deps: SyncDeps,
  state: SourceState,
  revision: string,
  plan: Plan,
  steps: SyncStep[],
  byKey: ReadonlyMap<string, PlanObject>,
  log: Logger,
): Promise<ApplyOutcome> {
  const source = state.name;
  const ctx: StepContext = { deps, state, revision, byKey, lookup: lookupIn(byKey), log };
  const previous = await deps.inventory.load(source);
  const pre = steps.filter((s) => s.phase !== 'PostSync');
  let index = stepIndex(state, revision);
  if (index === 0 && !state.step?.startsWith(`${revision}:`))
    await recordApplying(deps, source, revision, plan, log);
  const written = (upTo: number) =>
    pre
      .slice(0, upTo)
      .flatMap((s) => s.actions.filter((a) => a.type !== 'delete'))
      .map((a) => byKey.get(a.key) as PlanObject);
  const deleted = (upTo: number) =>
    new Set(
      pre
        .slice(0, upTo)
        .flatMap((s) => s.actions.filter((a) => a.type === 'delete').map((a) => a.key)),
    );
  for (; index < pre.length; index++) {
    const step = pre[index] as SyncStep;
    await writeStep(ctx, step);
    const last = index === pre.length - 1;
    if (last && step.hooks.length === 0) break; // followed below, like any rollout
    const outcomes = stepOutcomes(state, revision, index);
    const verdict = await stepVerdict(ctx, step, outcomes);
    if (verdict.status === 'Failed') {
      await deps.inventory.save(
        source,
        previous?.revision ?? revision,
        partialInventory(previous?.entries ?? [], written(index + 1), deleted(index + 1)),
        deps.now(),
      );
      await failOrdered(ctx, plan, verdict);
      return 'failed';
    }
    if (verdict.status === 'Progressing') {
      // What is written so far joins the inventory: a newer revision prunes it too.
      await deps.inventory.save(
        source,
        previous?.revision ?? revision,
        partialInventory(previous?.entries ?? [], written(index + 1), deleted(index + 1)),
        deps.now(),
      );
      const message = `${stepLabel(step)} (step ${index + 1} of ${steps.length}): waiting for ${verdict.waitingFor}`;
      await deps.states.update(source, {
        sync: 'Syncing',
        syncMessage: message,
        step: `${revision}:${index}`,
        stepHooks: JSON.stringify(outcomes),
      });
      state.step = `${revision}:${index}`;
      state.stepHooks = JSON.stringify(outcomes);
      return 'waiting';
    }
    log.info(`sync ${source}@${revision.slice(0, 7)}: ${stepLabel(step)} is healthy`);
  }
  const kept = plan.actions
    .filter((a) => a.type === 'keep')
    .map((a) => previous?.entries.find((e) => planKey(e) === a.key))
    .filter((e): e is InventoryEntry => e !== undefined)
    .map(keptEntry);
  await deps.inventory.save(source, revision, [...written(pre.length), ...kept], deps.now());
  await deps.states.update(source, {
    applied: revision,
    appliedAt: deps.now().toISOString(),
    sync: 'Syncing',
    syncMessage: '',
    step: `${revision}:${pre.length}`,
    stepHooks: '',
  });
  state.step = `${revision}:${pre.length}`;
  state.stepHooks = '';
  return 'applied';
}

/** Fails an ordered sync: SyncFail hooks start, the revision is Degraded, the rollback may act. */
async function failOrdered(
  ctx: StepContext,
  plan: Plan,
  verdict: { reason: string; message: string },
): Promise<void> {
  const { deps, state, revision, log } = ctx;
  await runSyncFailHooks(ctx, syncFailHooks(plan));
  const message = `revision ${revision.slice(0, 7)} failed to sync: ${verdict.message}`;
  log.error(message);
  await deps.states.update(state.name, {
    sync: 'Failed',
    syncMessage: verdict.message,
    health: 'Degraded',
    healthReason: verdict.reason,
    healthMessage: verdict.message,
    step: '',
    stepHooks: '',
    failed: revision,
  });
  await deps.record({
    type: 'Warning',
    reason: 'SyncFailed',
    object: { kind: 'Source', namespace: '', name: state.name },
    message,
    source: state.name,
    revision,
  });
  const health: AggregateHealth = {
    status: 'Degraded',
    atFault: [
      {
        key: `Source//${state.name}`,
        health: { status: 'Degraded', reason: verdict.reason, message: verdict.message },
      },
    ],
    message: verdict.message,
  };
  await deps.onSettled?.(
    { ...state, sync: 'Failed', health: 'Degraded', failed: revision },
    revision,
    health,
  );
}

/**
 * The PostSync steps of an ordered sync whose rollout is Healthy: each runs once the one before
 * succeeded. Returns 'done' when all did (or there are none), 'waiting', or 'failed' (reported).
 */
async function postSync(
  deps: SyncDeps,
  state: SourceState,
  revision: string,
  log: Logger,
): Promise<'done' | 'waiting' | 'failed'> {
  const start = stepIndex(state, revision);
  if (!state.step?.startsWith(`${revision}:`)) return 'done';
  const desired = await deps.revisions.load(state.name, revision);
  if (!desired) return 'done';
  const previous = await deps.inventory.load(state.name);
  const plan = makePlan({ desired, live: previous?.entries ?? [], prune: state.prune });
  const steps = syncSteps(plan);
  const byKey = new Map(desired.map((o) => [planKey(o), o]));
  const ctx: StepContext = { deps, state, revision, byKey, lookup: lookupIn(byKey), log };
  for (let index = start; index < steps.length; index++) {
    const step = steps[index] as SyncStep;
    if (step.phase !== 'PostSync') continue;
    const outcomes = stepOutcomes(state, revision, index);
    const verdict = await stepVerdict(ctx, step, outcomes);
    if (verdict.status === 'Failed') {
      await failOrdered(ctx, plan, verdict);
      return 'failed';
    }
    if (verdict.status === 'Progressing') {
      const message = `${stepLabel(step)} (step ${index + 1} of ${steps.length}): waiting for ${verdict.waitingFor}`;
      await deps.states.update(state.name, {
        syncMessage: message,
        step: `${revision}:${index}`,
        stepHooks: JSON.stringify(outcomes),
      });
      state.step = `${revision}:${index}`;
      state.stepHooks = JSON.stringify(outcomes);
      return 'waiting';
    }
  }
  await deps.states.update(state.name, { step: '', stepHooks: '' });
  state.step = undefined;
  return 'done';
}

/** Looks at the applied revision's objects; returns true once the rollout has settled. */
async function follow(
  deps: SyncDeps,
  state: SourceState,
  revision: string,
  log: Logger,
): Promise<boolean> {
  const source = state.name;
  const inventory = await deps.inventory.load(source);
  const keys = (inventory?.entries ?? []).filter((e) => !e.extraneous).map(planKey);
  const { verdicts, objects } = await healthOf(deps.store, keys);
  let health = aggregateHealth(verdicts);
  let waiting = '';
  // An ordered sync's PostSync hooks run once the rollout is Healthy; the revision settles after them.
  if (health.status === 'Healthy' && state.step?.startsWith(`${revision}:`)) {
    const post = await postSync(deps, state, revision, log);
    if (post === 'failed') return true;
    if (post === 'waiting') {
      waiting = state.syncMessage ?? '';
      health = { status: 'Progressing', atFault: [], message: waiting };
    }
  }
  const ready = verdicts.filter((v) => v.health.status === 'Healthy').length;
  const observed = [...objects.values()].every(observedLatest);
  const settled = health.status === 'Healthy' || health.status === 'Degraded';
  const sync = observed && objects.size === keys.length ? 'Synced' : 'Syncing';
  const now = deps.now().toISOString();
  const wasSettled =
    state.sync === 'Synced' && (state.health === 'Healthy' || state.health === 'Degraded');
  const becameHealthy = settled && sync === 'Synced' && health.status === 'Healthy';
  await deps.states.update(source, {
    sync,
    syncMessage: waiting,
    // In the same write as the verdict: a rollback decided right after must see it.
    ...(becameHealthy
      ? { lastHealthy: revision, ...(state.targetIsRevert ? {} : { rollbacks: 0 }) }
      : {}),
    health: health.status,
    healthReason: health.atFault[0]?.health.reason ?? '',
    healthMessage: health.message ?? '',
    ready,
    total: keys.length,
    ...(sync === 'Synced' ? { lastSyncTime: now } : {}),
  });
  if (!settled || sync !== 'Synced') {
    const current = verdicts.find((v) => v.health.status !== 'Healthy');
    const line = `sync ${source}@${revision.slice(0, 7)}: ${ready}/${keys.length} objects healthy${current ? `; waiting for ${current.key}: ${current.health.message ?? current.health.reason ?? current.health.status}` : ''}`;
    // Progress is printed when it moves, not on every look.
    if (lastProgress.get(source) !== line) log.info(line);
    lastProgress.set(source, line);
    return false;
  }
  lastProgress.delete(source);
  if (!wasSettled || state.health !== health.status) {
    const healthy = health.status === 'Healthy';
    const message = healthy
      ? `revision ${revision.slice(0, 7)} is synced and healthy: ${keys.length} objects`
      : `revision ${revision.slice(0, 7)} is degraded: ${health.message ?? ''}`;
    if (healthy) log.info(message);
    else log.error(message);
    await deps.record({
      type: healthy ? 'Normal' : 'Warning',
      reason: healthy ? 'SyncSucceeded' : 'Degraded',
      object: { kind: 'Source', namespace: '', name: source },
      message,
      source,
      revision,
    });
    await deps.onSettled?.({ ...state, sync, health: health.status }, revision, health);
  }
  // Self-heal: every object of the source is looked at again, so drift is put back.
  if (state.selfHeal) await Promise.all(keys.map((key) => deps.enqueue(key)));
  return true;
}

/** The last progress line printed per source (printing only; nothing depends on it). */
const lastProgress = new Map<string, string>();

/** An object whose controller reports a status has seen its latest generation. */
function observedLatest(o: StoredObject): boolean {
  // Any kind's status, read structurally: a kind without observedGeneration counts as seen.
  const status = o.status;
  const observed =
    typeof status === 'object' && status !== null && 'observedGeneration' in status
      ? status.observedGeneration
      : undefined;
  if (typeof observed !== 'number') return true;
  return observed >= o.metadata.generation;
}
