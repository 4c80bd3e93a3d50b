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
  /**
   * Against `live`: images whose tag now names another digest in the registry than the one
   * the pods run (or whose registry could not be asked). Absent when not looked up.
   */
  images?: ImageDriftNote[];
}

/** One image whose tag moved (see `findImageDrift` in src/images). */
export interface ImageDriftNote {
  image: string;
  resolved?: string;
  running: string[];
  pods: string[];
  error?: string;
}

/** `web:1.0 now names sha256:1a2b3c4d5e6f; pods run sha256:9f8e7d6c5b4a (default/web-x)`. */
export function imageDriftLine(d: ImageDriftNote): string {
  const short = (digest: string) => digest.slice(0, 'sha256:'.length + 12);
  if (!d.resolved) return `${d.image}: the registry could not be asked (${d.error ?? 'no answer'})`;
  return `${d.image} now names ${short(d.resolved)}; pods run ${d.running
    .filter((r) => r !== d.resolved)
    .map(short)
    .join(', ')} (${d.pods.join(', ')})`;
}

/** `shop/web`, or `shop` for a cluster-scoped object. */
export function displayName(o: { namespace: string; name: string }): string {
  return o.namespace ? `${o.namespace}/${o.name}` : o.name;
}

/** `main (1a2b3c4)` or `live`. */
export function sideLabel(side: PlanSide): string {
  return 'live' in side ? 'live' : `${side.ref} (${side.sha.slice(0, 7)})`;
}
