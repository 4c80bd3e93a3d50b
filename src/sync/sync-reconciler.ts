import { type AggregateHealth, aggregateHealth, objectHealth } from '../health/index.js';
import { makePlan, type PlanObject, planKey } from '../plan/index.js';
import { parseSyncKey, type Reconciler, TerminalError } from '../queue/index.js';
import {
  type BerthEvent,
  type InventoryEntry,
  type InventoryStore,
  type ObjectStore,
  REVISION_ANNOTATION,
  type RevisionObjects,
  SOURCE_ANNOTATION,
  type SourceState,
  type SourceStateStore,
  type StoredObject,
  storeKey,
} from '../store/index.js';
import type { Logger } from '../util/logger.js';
import { type ConfigLookup, withConfigHash } from './config-references.js';

/** What the sync of a revision reads and writes. */
export interface SyncDeps {
  store: ObjectStore;
  inventory: InventoryStore;
  states: SourceStateStore;
  revisions: RevisionObjects;
  /** Records an event (and notifies). */
  record(event: BerthEvent): Promise<void>;
  /** Enqueues an object key for its controller. */
  enqueue(key: string): Promise<void>;
  /** Called once per applied revision when its rollout settles Healthy or Degraded. */
  onSettled?(state: SourceState, revision: string, health: AggregateHealth): Promise<void>;
  now(): Date;
  logger: Logger;
  /** How often a settled source is looked at again (health, and every object re-enqueued). Default 30 s. */
  resyncMs?: number;
  /** How often a rollout in progress is looked at. Default 500 ms. */
  progressMs?: number;
}

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
    const log = deps.logger.child({ source, revision: revision.slice(0, 7) });
    if (state.applied !== revision) {
      const applied = await apply(deps, state, revision, log);
      if (!applied) return;
      state.applied = revision;
      state.sync = 'Syncing';
    }
    const settled = await follow(deps, state, revision, log);
    return { requeueAfterMs: settled ? (deps.resyncMs ?? 30_000) : (deps.progressMs ?? 500) };
  };
}

async function apply(
  deps: SyncDeps,
  state: SourceState,
  revision: string,
  log: Logger,
): Promise<boolean> {
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
    return false;
  }

  await deps.states.update(source, { sync: 'Syncing', syncMessage: '' });
  const byKey = new Map(desired.map((o) => [planKey(o), o]));
  const lookup: ConfigLookup = (kind, namespace, name) =>
    byKey.get(`${kind}/${namespace}/${name}`)?.value;
  const kept: InventoryEntry[] = [];
  const keys: string[] = [];
  for (const action of plan.actions) {
    if (action.type === 'delete') {
      await deps.store.delete(action.key);
      keys.push(action.key);
      continue;
    }
    if (action.type === 'keep') {
      const entry = previous?.entries.find((e) => planKey(e) === action.key);
      if (entry) kept.push(entry);
      continue;
    }
    const object = byKey.get(action.key) as PlanObject;
    await deps.store.apply(storeInput(object, source, revision, lookup));
    keys.push(action.key);
  }
  await deps.inventory.save(source, revision, [...desired, ...kept], deps.now());
  await deps.states.update(source, {
    applied: revision,
    appliedAt: deps.now().toISOString(),
    sync: 'Syncing',
  });
  // In order of the plan; ioredis pipelines the calls.
  await Promise.all(keys.map((key) => deps.enqueue(key)));
  const s = plan.summary;
  const message = `applying revision ${revision.slice(0, 7)}: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.unchanged} unchanged${s.keep ? `, ${s.keep} kept` : ''}`;
  log.info(message);
  await deps.record({
    type: 'Normal',
    reason: 'Syncing',
    object: sourceObject,
    message,
    source,
    revision,
  });
  return true;
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
  const keys = (inventory?.entries ?? []).map(planKey);
  const objects = new Map((await deps.store.getMany(keys)).map((o) => [storeKey(o), o]));
  const endpoints = new Map(
    (
      await deps.store.getMany(
        [...objects.values()].filter((o) => o.kind === 'Service').map(endpointsKey),
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
  const health = aggregateHealth(verdicts);
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
    syncMessage: '',
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

/** The object as stored: namespace filled in, source and revision annotated, config hash on its pod template. */
function storeInput(o: PlanObject, source: string, revision: string, lookup: ConfigLookup) {
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
      [SOURCE_ANNOTATION]: source,
      [REVISION_ANNOTATION]: revision,
    },
  };
  return value as Parameters<ObjectStore['apply']>[0];
}

function endpointsKey(svc: StoredObject): string {
  return storeKey({ ...svc, kind: 'Endpoints' });
}

/** An object whose controller reports a status has seen its latest generation. */
function observedLatest(o: StoredObject): boolean {
  const observed = (o.status as { observedGeneration?: number } | undefined)?.observedGeneration;
  return observed === undefined || observed >= o.metadata.generation;
}
