import { BerthError } from '../util/berth-error.js';
import type { Problem } from './problem.js';

/**
 * Thrown (by callers such as the reconcile loop) when a revision has errors: it is never
 * partly applied. Terminal: the same revision will not become valid by retrying. `data`
 * holds the error count and the first problems (positions and messages, never values of
 * Secrets: problem messages do not show them).
 */
export class InvalidRevisionError extends BerthError {
  constructor(revision: string, problems: readonly Problem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super('MANIFESTS_INVALID', `revision ${revision} is invalid: ${errors.length} error(s)`, {
      revision,
      errors: errors.length,
      problems: errors.slice(0, 20).map(({ code: _code, ...p }) => p),
    });
  }
}
