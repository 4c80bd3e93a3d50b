import type { PlanReport } from '../plan/index.js';
import type { CommitStatus } from './forge-client.js';

/** Longest status description the forges keep (GitHub: 140 characters). */
export const MAX_DESCRIPTION = 140;

/**
 * The commit status of a plan: `success` with "N to create, N to update, N to delete" when the
 * revision is valid, `failure` naming the first errors (`file:line message`) when it is not.
 */
export function planStatus(report: PlanReport, context: string): CommitStatus {
  if (report.valid && report.plan) {
    const s = report.plan.summary;
    return {
      sha: report.head.sha,
      state: 'success',
      context,
      description: `${s.create} to create, ${s.update} to update, ${s.delete} to delete`,
    };
  }
  const errors = report.problems.filter((p) => p.severity === 'error');
  const first = errors.slice(0, 3).map((p) => `${p.file}:${p.line} ${p.message}`);
  const more = errors.length > first.length ? ` (+${errors.length - first.length} more)` : '';
  return {
    sha: report.head.sha,
    state: 'failure',
    context,
    description: cut(`invalid: ${first.join('; ')}${more}`),
  };
}

function cut(text: string): string {
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}
