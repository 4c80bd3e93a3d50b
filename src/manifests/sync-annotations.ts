/**
 * The per-object sync annotations Berth reads, in its own vocabulary (`berth.dev/…`) and in
 * Argo CD's and Flux's, so a repository written for either keeps its meaning here. Pure: the
 * manifests check reports `problems`, the plan and the sync use `options`.
 */

/** Annotations giving an object's sync wave (an integer, negative allowed; default 0). */
export const SYNC_WAVE_ANNOTATIONS = ['berth.dev/sync-wave', 'argocd.argoproj.io/sync-wave'];
/** Annotations making an object a hook (comma-separated phases). */
export const HOOK_ANNOTATIONS = ['berth.dev/hook', 'argocd.argoproj.io/hook'];
/** Annotations naming when a hook object is deleted (comma-separated policies). */
export const HOOK_DELETE_POLICY_ANNOTATIONS = [
  'berth.dev/hook-delete-policy',
  'argocd.argoproj.io/hook-delete-policy',
];
export const ARGO_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const ARGO_COMPARE_OPTIONS = 'argocd.argoproj.io/compare-options';
export const FLUX_PRUNE = 'kustomize.toolkit.fluxcd.io/prune';
export const FLUX_RECONCILE = 'kustomize.toolkit.fluxcd.io/reconcile';
export const BERTH_PRUNE = 'berth.dev/prune';

/** When a hook runs: before anything is applied, among the objects, after all are healthy, or when the sync failed. */
export type HookPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
export const HOOK_PHASES: readonly HookPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];
/** When a hook object is deleted (Argo CD's policies). */
export type HookDeletePolicy = 'HookSucceeded' | 'HookFailed' | 'BeforeHookCreation';
const DELETE_POLICIES: readonly HookDeletePolicy[] = [
  'HookSucceeded',
  'HookFailed',
  'BeforeHookCreation',
];
/** The kinds that may be hooks: what runs to completion. */
export const HOOK_KINDS: ReadonlySet<string> = new Set(['Job', 'Pod']);

/** What the annotations of one object ask of the sync. */
export interface SyncOptions {
  /** Applied with the other objects of its wave, waves in ascending order. Default 0. */
  wave: number;
  /** The phases it runs at as a hook; empty for an ordinary object. */
  hooks: HookPhase[];
  /** `Skip`: never applied (Argo CD's `hook: Skip`). */
  skip: boolean;
  /** Hook deletion policies; Argo CD's default BeforeHookCreation when none is given. */
  deletePolicies: HookDeletePolicy[];
  /** False: kept when it leaves Git (berth.dev/prune "false", Argo CD's Prune=false, Flux prune disabled). */
  prune: boolean;
  /** The annotation and value that turned prune off, as the plan explains a kept object. */
  pruneDisabledBy?: string;
  /** False (`Reconcile disabled`): Berth neither creates, updates nor prunes it. */
  reconcile: boolean;
  /** Kept objects with IgnoreExtraneous do not count toward the source's sync and health. */
  ignoreExtraneous: boolean;
}

/** A problem with one annotation: the key and what is wrong. */
export interface SyncAnnotationProblem {
  annotation: string;
  message: string;
}

/** The options an object's annotations give, and what is wrong with them. */
export function syncOptionsOf(annotations: Record<string, string> | undefined): {
  options: SyncOptions;
  problems: SyncAnnotationProblem[];
} {
  const a = annotations ?? {};
  const problems: SyncAnnotationProblem[] = [];
  const options: SyncOptions = {
    wave: 0,
    hooks: [],
    skip: false,
    deletePolicies: [],
    prune: true,
    reconcile: true,
    ignoreExtraneous: false,
  };
  const noPrune = (by: string) => {
    options.prune = false;
    options.pruneDisabledBy ??= by;
  };
  let waveFrom: string | undefined;
  for (const key of SYNC_WAVE_ANNOTATIONS) {
    const v = a[key];
    if (v === undefined) continue;
    if (!/^[-+]?[0-9]{1,9}$/.test(v.trim())) {
      problems.push({
        annotation: key,
        message: `must be an integer, like "-1" or "5", not "${v}"`,
      });
      continue;
    }
    const wave = Number(v.trim());
    if (waveFrom !== undefined && wave !== options.wave) {
      problems.push({
        annotation: key,
        message: `says wave ${wave} but ${waveFrom} says ${options.wave}: give one wave`,
      });
    }
    options.wave = wave;
    waveFrom = key;
  }
  for (const key of HOOK_ANNOTATIONS) {
    const v = a[key];
    if (v === undefined) continue;
    for (const phase of splitList(v)) {
      if (phase === 'Skip') options.skip = true;
      else if ((HOOK_PHASES as readonly string[]).includes(phase)) {
        if (!options.hooks.includes(phase as HookPhase)) options.hooks.push(phase as HookPhase);
      } else
        problems.push({
          annotation: key,
          message: `unknown hook "${phase}": expected ${[...HOOK_PHASES, 'Skip'].join(', ')}${phase === 'PostDelete' ? ' (PostDelete hooks are not supported)' : ''}`,
        });
    }
  }
  for (const key of HOOK_DELETE_POLICY_ANNOTATIONS) {
    const v = a[key];
    if (v === undefined) continue;
    for (const policy of splitList(v)) {
      if ((DELETE_POLICIES as readonly string[]).includes(policy)) {
        if (!options.deletePolicies.includes(policy as HookDeletePolicy))
          options.deletePolicies.push(policy as HookDeletePolicy);
      } else
        problems.push({
          annotation: key,
          message: `unknown hook delete policy "${policy}": expected ${DELETE_POLICIES.join(', ')}`,
        });
    }
  }
  if (options.hooks.length > 0 && options.deletePolicies.length === 0)
    options.deletePolicies.push('BeforeHookCreation');

  if (a[BERTH_PRUNE] !== undefined) {
    if (a[BERTH_PRUNE] === 'false') noPrune(`${BERTH_PRUNE}: "false"`);
    else if (a[BERTH_PRUNE] !== 'true')
      problems.push({
        annotation: BERTH_PRUNE,
        message: `must be "true" or "false", not "${a[BERTH_PRUNE]}"`,
      });
  }
  if (a[FLUX_PRUNE] !== undefined) {
    if (a[FLUX_PRUNE] === 'disabled') noPrune(`${FLUX_PRUNE}: disabled`);
    else if (a[FLUX_PRUNE] !== 'enabled')
      problems.push({
        annotation: FLUX_PRUNE,
        message: `must be "enabled" or "disabled", not "${a[FLUX_PRUNE]}"`,
      });
  }
  if (a[FLUX_RECONCILE] !== undefined) {
    if (a[FLUX_RECONCILE] === 'disabled') options.reconcile = false;
    else if (a[FLUX_RECONCILE] !== 'enabled')
      problems.push({
        annotation: FLUX_RECONCILE,
        message: `must be "enabled" or "disabled", not "${a[FLUX_RECONCILE]}"`,
      });
  }
  for (const option of splitList(a[ARGO_SYNC_OPTIONS] ?? '')) {
    const [name, value] = option.split('=', 2) as [string, string | undefined];
    switch (`${name}=${value}`) {
      case 'Prune=false':
        noPrune(`${ARGO_SYNC_OPTIONS}: ${option}`);
        break;
      // Delete=false keeps an object when its Argo CD Application is deleted (not when it is
      // pruned): Berth has no such deletion (`berth down` removes the whole instance).
      case 'Delete=false':
      case 'Delete=true':
      case 'Prune=true':
      // Berth's store always replaces the whole object: Replace=true is what it does anyway.
      case 'Replace=true':
      case 'Replace=false':
      // Berth prunes after every wave is applied: PruneLast=true is what it does anyway.
      case 'PruneLast=true':
        break;
      default:
        problems.push({
          annotation: ARGO_SYNC_OPTIONS,
          message: `unsupported sync option "${option}": Berth reads Prune=true|false, Delete=true|false, Replace=true|false and PruneLast=true${value === 'confirm' ? ' (Berth has no confirmation step: use Prune=false)' : ''}`,
        });
    }
  }
  for (const option of splitList(a[ARGO_COMPARE_OPTIONS] ?? '')) {
    if (option === 'IgnoreExtraneous') options.ignoreExtraneous = true;
    else
      problems.push({
        annotation: ARGO_COMPARE_OPTIONS,
        message: `unsupported compare option "${option}": Berth reads IgnoreExtraneous`,
      });
  }
  return { options, problems };
}

/** The options of an object given as its value (annotations under metadata). */
export function syncOptionsOfObject(value: { metadata?: unknown }): SyncOptions {
  const metadata = value.metadata as { annotations?: Record<string, string> } | undefined;
  return syncOptionsOf(metadata?.annotations).options;
}

function splitList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
