import type { HookPhase } from '../manifests/index.js';
import type { Plan, PlanAction, PlanHook } from './plan-action.js';

/**
 * One step of a sync, in the order Berth runs them (Argo CD's phases and waves): PreSync hooks
 * wave by wave, then the objects and Sync hooks wave by wave, then the prune in reverse wave
 * order (as Argo CD's PruneLast), then PostSync hooks wave by wave. A step starts once every
 * object and hook of the one before is Healthy (a hook: completed; a prune: its objects gone);
 * a step that turns Degraded fails the sync.
 */
export interface SyncStep {
  phase: Exclude<HookPhase, 'SyncFail'> | 'Prune';
  /** The wave (of the pruned objects, as they were applied, for a prune step). */
  wave: number;
  /** Creates, updates and unchanged objects of the wave (Sync phase), deletions (Prune). */
  actions: PlanAction[];
  /** Hooks that run in this step. */
  hooks: PlanHook[];
}

/** The steps of a plan, in order; steps with nothing to do are left out. */
export function syncSteps(plan: Pick<Plan, 'actions' | 'hooks'>): SyncStep[] {
  const steps: SyncStep[] = [];
  const at = (phase: SyncStep['phase'], wave: number): SyncStep => {
    let step = steps.find((s) => s.phase === phase && s.wave === wave);
    if (!step) {
      step = { phase, wave, actions: [], hooks: [] };
      steps.push(step);
    }
    return step;
  };
  for (const a of plan.actions) {
    if (a.type === 'delete') at('Prune', a.wave ?? 0).actions.push(a);
    else if (a.type !== 'keep') at('Sync', a.wave ?? 0).actions.push(a);
  }
  for (const h of plan.hooks)
    for (const phase of h.phases) if (phase !== 'SyncFail') at(phase, h.wave).hooks.push(h);
  const rank: Record<SyncStep['phase'], number> = { PreSync: 0, Sync: 1, Prune: 2, PostSync: 3 };
  // Deletions run in reverse wave order: what was applied last goes first.
  return steps.sort(
    (a, b) =>
      rank[a.phase] - rank[b.phase] || (a.phase === 'Prune' ? b.wave - a.wave : a.wave - b.wave),
  );
}

/** The hooks that run when a sync fails, by wave. */
export function syncFailHooks(plan: Pick<Plan, 'hooks'>): PlanHook[] {
  return plan.hooks.filter((h) => h.phases.includes('SyncFail'));
}

/** Whether the plan needs more than one step or any hook (otherwise it applies all at once). */
export function isOrdered(steps: readonly SyncStep[], plan: Pick<Plan, 'hooks'>): boolean {
  return (
    plan.hooks.length > 0 ||
    steps.filter((s) => s.phase === 'Sync').length > 1 ||
    steps.filter((s) => s.phase === 'Prune').length > 1
  );
}

/** `PreSync hooks (wave -1)`, `wave 2`, `prune`, `prune (wave 2)`: how a step is named in plans and status. */
export function stepLabel(step: Pick<SyncStep, 'phase' | 'wave'>): string {
  if (step.phase === 'Prune') return `prune${step.wave !== 0 ? ` (wave ${step.wave})` : ''}`;
  if (step.phase === 'Sync') return `wave ${step.wave}`;
  return `${step.phase} hooks${step.wave !== 0 ? ` (wave ${step.wave})` : ''}`;
}

/**
 * The sync order of a plan in words, one line per step (`1. wave -1: + ConfigMap default/a`),
 * then the SyncFail hooks; empty when the plan applies all at once. Plans print it as is.
 */
export function syncOrderLines(plan: Pick<Plan, 'actions' | 'hooks'>): string[] {
  const steps = syncSteps(plan);
  if (!isOrdered(steps, plan)) return [];
  const sign = { create: '+', update: '~', delete: '-', unchanged: ' ', keep: '=' } as const;
  const name = (o: { kind: string; namespace: string; name: string }) =>
    `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
  const lines = steps.map((step, i) => {
    const changed = step.actions.filter((a) => a.type !== 'unchanged');
    const unchanged = step.actions.length - changed.length;
    const parts = [
      ...step.hooks.map((h) => `run ${name(h)}`),
      ...changed.map((a) => `${sign[a.type]} ${name(a)}`),
      ...(unchanged > 0 ? [`${unchanged} unchanged`] : []),
    ];
    return `${i + 1}. ${stepLabel(step)}: ${parts.join(', ')}`;
  });
  const onFail = syncFailHooks(plan);
  if (onFail.length > 0)
    lines.push(
      `if the sync fails: SyncFail hooks: ${onFail.map((h) => `run ${name(h)}`).join(', ')}`,
    );
  return lines;
}
