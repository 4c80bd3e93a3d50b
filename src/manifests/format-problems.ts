import { escapeControl } from '../util/escape-control.js';
import type { ValidationResult } from './desired-state.js';
import type { Problem } from './problem.js';

/**
 * One problem as `berth validate` (and `berth plan`, `berth up`) prints it:
 * `file:line:col: error: Kind ns/name: path: message`.
 */
export function formatProblem(
  p: Pick<Problem, 'file' | 'line' | 'column' | 'severity' | 'message'> &
    Partial<Pick<Problem, 'kind' | 'namespace' | 'name' | 'path'>>,
): string {
  const object = p.kind
    ? `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name || '(no name)'}: `
    : '';
  const field = p.path ? `${p.path}: ` : '';
  // Everything here may come from the repository: no control character reaches a terminal.
  return escapeControl(
    `${p.file}:${p.line}:${p.column}: ${p.severity}: ${object}${field}${p.message}`,
  );
}

/** The text report: one line per problem, then a summary line with counts. */
export function formatText(result: ValidationResult): string {
  const lines = result.problems.map(formatProblem);
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    `${result.valid ? 'valid' : 'invalid'}: ${plural(result.objects, 'object')} in ${plural(result.files, 'file')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`,
  );
  return `${lines.join('\n')}\n`;
}

/** The JSON report: `{valid, objects, problems: [{file, line, column, severity, kind, namespace, name, path, message}]}`. */
export function formatJson(result: ValidationResult): string {
  const problems = result.problems.map(
    ({ file, line, column, severity, kind, namespace, name, path, message }) => ({
      file,
      line,
      column,
      severity,
      kind,
      namespace,
      name,
      path,
      message,
    }),
  );
  return `${JSON.stringify({ valid: result.valid, objects: result.objects, problems }, null, 2)}\n`;
}
