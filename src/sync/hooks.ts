import type { PlanHook } from '../plan/index.js';
import { asKind, type StoredObject } from '../store/index.js';

/** Annotation marking a hook object with the run it belongs to: `<revision>/<phase>`. */
export const HOOK_RUN_ANNOTATION = 'berth.dev/hook-run';

/** How a hook run ended, or that it still runs. */
export type HookOutcome = 'Running' | 'Succeeded' | 'Failed';

/**
 * The outcome of a hook object: a Job by its Complete or Failed condition, a Pod by its phase
 * (Succeeded or Failed). Anything else still runs (hooks are Jobs or Pods: validation).
 */
export function hookOutcome(o: StoredObject): HookOutcome {
  if (o.kind === 'Job') {
    const conditions = asKind('Job', o).status?.conditions ?? [];
    if (conditions.some((c) => c.type === 'Failed' && c.status === 'True')) return 'Failed';
    if (conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return 'Succeeded';
    return 'Running';
  }
  const phase = o.kind === 'Pod' ? asKind('Pod', o).status?.phase : undefined;
  if (phase === 'Succeeded') return 'Succeeded';
  if (phase === 'Failed') return 'Failed';
  return 'Running';
}

/** Whether a finished hook object is deleted by its policies. */
export function deletedAfter(hook: PlanHook, outcome: HookOutcome): boolean {
  return (
    (outcome === 'Succeeded' && hook.deletePolicies.includes('HookSucceeded')) ||
    (outcome === 'Failed' && hook.deletePolicies.includes('HookFailed'))
  );
}
