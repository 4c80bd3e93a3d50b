import { type ObjectHealth, objectHealth } from '../health/index.js';
import {
  type PlanHook,
  type PlanObject,
  planKey,
  type SyncStep,
  stepLabel,
} from '../plan/index.js';
import type { SourceState } from '../store/index.js';
import {
  type InventoryEntry,
  type ObjectStore,
  REVISION_ANNOTATION,
  SOURCE_ANNOTATION,
  type StoredObject,
  storeKey,
} from '../store/index.js';
import type { Logger } from '../util/logger.js';
import { type ConfigLookup, withConfigHash } from './config-references.js';
import { deletedAfter, HOOK_RUN_ANNOTATION, type HookOutcome, hookOutcome } from './hooks.js';
import type { SyncDeps } from './sync-deps.js';

/** How one step stands: all Healthy (hooks succeeded), still going, or failed with why. */
export type StepVerdict =
  | { status: 'Healthy' }
  | { status: 'Progressing'; waitingFor: string }
  | { status: 'Failed'; reason: string; message: string };

/** The object as stored: namespace filled in, source and revision annotated, config hash on its pod template. */
export function storeInput(
  o: PlanObject,
  source: string,
  revision: string,
  lookup: ConfigLookup,
  extra: Record<string, string> = {},
) {
  const value = structuredClone(withConfigHash(o.value, o.namespace, lookup)) as Record<
    string,
    unknown
  > & {
    metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  };
  value.metadata = {
    ...value.metadata,
    ...(o.namespace ? { namespace: o.namespace } : {}),
    annotations: {
      ...(value.metadata.annotations ?? {}),
      ...extra,
      [SOURCE_ANNOTATION]: source,
      [REVISION_ANNOTATION]: revision,
    },
  };
  return value as Parameters<ObjectStore['apply']>[0];
}

/** The health of stored objects by key (a Service with its Endpoints), missing ones Missing. */
export async function healthOf(
  store: ObjectStore,
  keys: readonly string[],
): Promise<{ verdicts: ObjectHealth[]; objects: Map<string, StoredObject> }> {
  const objects = new Map((await store.getMany(keys)).map((o) => [storeKey(o), o]));
  const endpoints = new Map(
    (
      await store.getMany(
        [...objects.values()]
          .filter((o) => o.kind === 'Service')
          .map((svc) => storeKey({ ...svc, kind: 'Endpoints' })),
      )
    ).map((e) => [`${e.metadata.namespace}/${e.metadata.name}`, e]),
  );
  const verdicts = keys.map((key) => {
    const o = objects.get(key);
    const ep =
      o?.kind === 'Service'
        ? endpoints.get(`${o.metadata.namespace}/${o.metadata.name}`)
        : undefined;
    return { key, health: objectHealth(o as never, ep ? { endpoints: ep as never } : {}) };
  });
  return { verdicts, objects };
}

/** Everything one ordered sync step needs besides the deps. */
export interface StepContext {
  deps: SyncDeps;
  state: SourceState;
  revision: string;
  byKey: ReadonlyMap<string, PlanObject>;
  lookup: ConfigLookup;
  log: Logger;
}

/** Writes a step's objects (creates and updates, or the prune's deletions) and enqueues them. */
export async function writeStep(ctx: StepContext, step: SyncStep): Promise<void> {
  const { deps, state, revision, byKey, lookup } = ctx;
  const keys: string[] = [];
  for (const a of step.actions) {
    if (a.type === 'delete') await deps.store.delete(a.key);
    else
      await deps.store.apply(
        storeInput(byKey.get(a.key) as PlanObject, state.name, revision, lookup),
      );
    keys.push(a.key);
  }
  await Promise.all(keys.map((key) => deps.enqueue(key)));
}

/**
 * Where a step stands: its objects' health (Degraded fails the sync), its deletions (done when
 * the objects are gone), and its hooks, started
 * here when they have not run for this revision and phase yet (a previous run of the same hook
 * is removed first, with its pods). Outcomes are kept in `outcomes` (the caller persists them),
 * so a hook deleted by its policy is not run again.
 */
export async function stepVerdict(
  ctx: StepContext,
  step: SyncStep,
  outcomes: Record<string, HookOutcome>,
): Promise<StepVerdict> {
  const { deps, state, revision, log } = ctx;
  const objects = step.actions.filter((a) => a.type !== 'delete').map((a) => a.key);
  const { verdicts } = await healthOf(deps.store, objects);
  const degraded = verdicts.find((v) => v.health.status === 'Degraded');
  if (degraded) {
    return {
      status: 'Failed',
      reason: degraded.health.reason ?? 'Degraded',
      message: `${stepLabel(step)}: ${degraded.key} is degraded: ${degraded.health.message ?? degraded.health.reason ?? ''}`,
    };
  }
  let waitingFor = verdicts.find((v) => v.health.status !== 'Healthy')?.key;
  // A prune step is done once its objects are gone (a Pod once its node stopped it), as Argo CD
  // waits for pruned objects pending deletion before the next wave.
  const deleted = step.actions.filter((a) => a.type === 'delete').map((a) => a.key);
  if (deleted.length > 0 && waitingFor === undefined) {
    const left = await deps.store.getMany(deleted);
    if (left.length > 0) waitingFor = `${storeKey(left[0] as StoredObject)} to be deleted`;
  }
  for (const hook of step.hooks) {
    const marker = `${revision}/${step.phase}`;
    let outcome = outcomes[hook.key];
    if (outcome === undefined) {
      outcome = await runHook(ctx, hook, marker);
      if (outcome !== 'Running') {
        outcomes[hook.key] = outcome;
        await deps.record({
          type: outcome === 'Succeeded' ? 'Normal' : 'Warning',
          reason: outcome === 'Succeeded' ? 'HookSucceeded' : 'HookFailed',
          object: { kind: 'Source', namespace: '', name: state.name },
          message: `${step.phase} hook ${hook.key} ${outcome === 'Succeeded' ? 'succeeded' : 'failed'}`,
          source: state.name,
          revision,
        });
        log.info(`${step.phase} hook ${hook.key}: ${outcome}`);
        if (deletedAfter(hook, outcome)) await removeHook(deps, hook.key);
      }
    }
    if (outcome === 'Failed') {
      return {
        status: 'Failed',
        reason: `${step.phase}HookFailed`,
        message: `${stepLabel(step)}: hook ${hook.key} failed`,
      };
    }
    if (outcome === 'Running') waitingFor ??= hook.key;
  }
  return waitingFor ? { status: 'Progressing', waitingFor } : { status: 'Healthy' };
}

/** Starts a hook for `marker` (`<revision>/<phase>`) unless it runs already; returns how it stands. */
async function runHook(ctx: StepContext, hook: PlanHook, marker: string): Promise<HookOutcome> {
  const { deps, state, revision, byKey, lookup } = ctx;
  const existing = await deps.store.get(hook.key);
  if (existing?.metadata.annotations?.[HOOK_RUN_ANNOTATION] === marker)
    return hookOutcome(existing);
  if (existing) await removeHook(deps, hook.key);
  const object = byKey.get(hook.key) as PlanObject;
  await deps.store.apply(
    storeInput(object, state.name, revision, lookup, { [HOOK_RUN_ANNOTATION]: marker }),
  );
  await deps.enqueue(hook.key);
  await deps.record({
    type: 'Normal',
    reason: 'HookStarted',
    object: { kind: 'Source', namespace: '', name: state.name },
    message: `${marker.slice(marker.indexOf('/') + 1)} hook ${hook.key} started`,
    source: state.name,
    revision,
  });
  return 'Running';
}

/** Removes a hook object and its pods from the store (the controllers and the node clean up). */
export async function removeHook(deps: SyncDeps, key: string): Promise<void> {
  for (const child of await deps.store.children(key)) {
    await deps.store.delete(storeKey(child));
    await deps.enqueue(storeKey(child));
  }
  // A hook Pod is made again under its name at once: it leaves the store now (its node stops
  // the old uid's containers), rather than terminating and holding the name.
  await deps.store.delete(key, { gracePeriodSeconds: 0 });
  await deps.enqueue(key);
}

/** Starts the SyncFail hooks of a failed sync (not awaited: the sync has failed already). */
export async function runSyncFailHooks(
  ctx: StepContext,
  hooks: readonly PlanHook[],
): Promise<void> {
  for (const hook of hooks) await runHook(ctx, hook, `${ctx.revision}/SyncFail`);
}

/**
 * The inventory while an ordered sync is under way: what the previous revision applied, with
 * the objects written so far replacing or joining it, so a newer revision prunes them too.
 */
export function partialInventory(
  previous: readonly InventoryEntry[],
  written: readonly PlanObject[],
  deleted: ReadonlySet<string>,
): InventoryEntry[] {
  const byKey = new Map(previous.map((e) => [planKey(e), e]));
  for (const k of deleted) byKey.delete(k);
  for (const o of written) byKey.set(planKey(o), o);
  return [...byKey.values()];
}
