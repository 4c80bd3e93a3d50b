import type { PlanReport } from './plan-report.js';
import { syncSteps } from './sync-steps.js';

/** The plan as a Kubernetes-shaped object: what was compared in `spec`, the outcome in `status`. */
export function planObject(report: PlanReport): Record<string, unknown> {
  return {
    apiVersion: 'berth.dev/v1alpha1',
    kind: 'Plan',
    metadata: { ...(report.source ? { name: report.source } : {}) },
    spec: { head: report.head, base: report.base },
    status: {
      valid: report.valid,
      ...(report.plan
        ? {
            summary: report.plan.summary,
            hasChanges: report.plan.hasChanges,
            actions: report.plan.actions,
            hooks: report.plan.hooks,
            steps: syncSteps(report.plan).map((s) => ({
              phase: s.phase,
              wave: s.wave,
              objects: s.actions.map((a) => a.key),
              hooks: s.hooks.map((h) => h.key),
            })),
          }
        : {}),
      impacts: report.impacts,
      problems: report.problems,
    },
  };
}

/** {@link planObject} as indented JSON. */
export function renderJson(report: PlanReport): string {
  return `${JSON.stringify(planObject(report), null, 2)}\n`;
}
