import { type SyncOptions, syncOptionsOfObject } from '../manifests/index.js';
import { alignLists, diffValues } from './diff-values.js';
import { kindRank } from './kind-order.js';
import { maskSecret, maskSecretChanges } from './mask-secret.js';
import { normalizeForDiff } from './normalize.js';
import type { Plan, PlanAction, PlanHook, PlanSummary } from './plan-action.js';
import { type PlanObject, planKey } from './plan-object.js';

/** Inputs of {@link makePlan}. */
export interface PlanInput {
  /** The objects of the revision to converge to. */
  desired: readonly PlanObject[];
  /** What runs now: the objects the previous revision applied (the inventory), as applied. */
  live: readonly PlanObject[];
  /** Delete live objects that left Git. Default true (the source's `prune`). */
  prune?: boolean;
}

/**
 * Compares a revision with what runs and returns the ordered actions that converge one to the
 * other. Pure: no I/O, the same inputs give the same plan. Objects pair by apiVersion's group,
 * kind, namespace and name; creates and updates come in kind order, deletions after them in
 * reverse kind order.
 */
export function makePlan(input: PlanInput): Plan {
  const prune = input.prune ?? true;
  const live = new Map(input.live.map((o) => [identity(o), o]));
  const applies: PlanAction[] = [];
  const hooks: PlanHook[] = [];
  const skipped: Plan['skipped'] = [];
  const seen = new Set<string>();
  for (const want of input.desired) {
    const id = identity(want);
    const options = syncOptionsOfObject(want.value);
    if (options.hooks.length > 0) {
      // A hook is run at its phase, never applied as an object nor pruned.
      if (!options.skip) hooks.push(hook(want, options));
      continue;
    }
    seen.add(id);
    const have = live.get(id);
    if (options.skip || !options.reconcile) {
      const reason = options.skip ? 'annotated hook: Skip' : 'annotated reconcile: disabled';
      if (have) applies.push({ ...action('keep', have, have, [], options), reason });
      else skipped.push({ key: planKey(want), reason });
      continue;
    }
    if (have === undefined) {
      applies.push(action('create', want, undefined, topLevelChanges(want, 'after'), options));
      continue;
    }
    const changes = diffValues(normalizeForDiff(have.value), normalizeForDiff(want.value));
    applies.push(action(changes.length > 0 ? 'update' : 'unchanged', want, have, changes, options));
  }
  const removals: PlanAction[] = [];
  for (const [id, have] of live) {
    if (seen.has(id)) continue;
    const options = syncOptionsOfObject(have.value);
    if (!prune)
      removals.push({
        ...action('keep', have, have, [], options),
        reason: 'prune is disabled for this source',
      });
    else if (!options.prune || !options.reconcile)
      removals.push({
        ...action('keep', have, have, [], options),
        reason: `annotated ${options.pruneDisabledBy ?? 'reconcile: disabled'}`,
      });
    else removals.push(action('delete', have, have, topLevelChanges(have, 'before'), options));
  }
  applies.sort(
    (a, b) => waveOf(a) - waveOf(b) || kindRank(a.kind) - kindRank(b.kind) || byName(a, b),
  );
  removals.sort(
    (a, b) => waveOf(b) - waveOf(a) || kindRank(b.kind) - kindRank(a.kind) || byName(a, b),
  );
  hooks.sort((a, b) => a.wave - b.wave || kindRank(a.kind) - kindRank(b.kind) || byName(a, b));
  const actions = [...applies, ...removals];
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, keep: 0, unchanged: 0 };
  for (const a of actions) summary[a.type]++;
  return {
    actions,
    hooks,
    skipped,
    summary,
    hasChanges: summary.create + summary.update + summary.delete > 0,
  };
}

function waveOf(a: { wave?: number }): number {
  return a.wave ?? 0;
}

function hook(o: PlanObject, options: SyncOptions): PlanHook {
  return {
    key: planKey(o),
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.namespace,
    name: o.name,
    phases: options.hooks,
    wave: options.wave,
    deletePolicies: options.deletePolicies,
  };
}

/** Same object across revisions: API group (not version), kind, namespace, name. */
function identity(o: PlanObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.slice(0, o.apiVersion.indexOf('/')) : '';
  return `${group}/${planKey(o)}`;
}

function action(
  type: PlanAction['type'],
  obj: PlanObject,
  live: PlanObject | undefined,
  changes: PlanAction['changes'],
  options: SyncOptions,
): PlanAction {
  const isSecret = obj.kind === 'Secret' && obj.apiVersion === 'v1';
  const want = normalizeForDiff(obj.value);
  // The live side is shown with its named lists in the desired order: reordering is no change.
  const have = live
    ? (alignLists(normalizeForDiff(live.value), want) as Record<string, unknown>)
    : undefined;
  const result: PlanAction = {
    type,
    key: planKey(obj),
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.namespace,
    name: obj.name,
    changes: isSecret ? maskSecretChanges(changes) : changes,
  };
  if (options.wave !== 0) result.wave = options.wave;
  if (have !== undefined) result.before = isSecret ? maskSecret(have) : have;
  if (type === 'create' || type === 'update' || type === 'unchanged') {
    result.after = isSecret ? maskSecret(want, have) : want;
  }
  return result;
}

/** A created or deleted object's changes: one entry per top-level field it sets. */
function topLevelChanges(o: PlanObject, side: 'before' | 'after'): PlanAction['changes'] {
  const v = normalizeForDiff(o.value);
  return Object.keys(v)
    .filter((k) => k !== 'apiVersion' && k !== 'kind')
    .map((k) => ({ path: k, [side]: v[k] }));
}

function byName(
  a: { namespace: string; name: string },
  b: { namespace: string; name: string },
): number {
  return a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
}
