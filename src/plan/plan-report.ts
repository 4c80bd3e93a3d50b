import type { Plan } from './plan-action.js';
import type { PodImpact } from './pod-impact.js';

/** A validation problem, as the manifests layer reports it (file:line:col, object, field). */
export interface ReportProblem {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  kind?: string;
  namespace?: string;
  name?: string;
  path?: string;
  message: string;
}

/** One side of a comparison: a git revision, or what runs now. */
export type PlanSide = { live: true } | { ref: string; sha: string };

/** Everything `berth plan` shows: what was compared, the plan, its effect on pods, and problems. */
export interface PlanReport {
  /** Source name, when the plan is of a configured source. */
  source?: string;
  /** The revision planned. */
  head: { ref: string; sha: string };
  /** What it is compared with. */
  base: PlanSide;
  /** False when the revision is invalid: then `plan` is absent and `problems` says why. */
  valid: boolean;
  plan?: Plan;
  impacts: PodImpact[];
  problems: ReportProblem[];
}

/** `shop/web`, or `shop` for a cluster-scoped object. */
export function displayName(o: { namespace: string; name: string }): string {
  return o.namespace ? `${o.namespace}/${o.name}` : o.name;
}

/** `main (1a2b3c4)` or `live`. */
export function sideLabel(side: PlanSide): string {
  return 'live' in side ? 'live' : `${side.ref} (${side.sha.slice(0, 7)})`;
}
