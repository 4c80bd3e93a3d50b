/** How bad a problem is: an error makes the revision invalid; a warning does not. */
export type Severity = 'error' | 'warning';

/**
 * One thing wrong with a revision, positioned in the file that holds it. `kind`, `namespace`
 * and `name` are empty when the problem is about a file rather than an object; `path` is the
 * field path (`spec.template.spec.containers[0].image`), empty when about the whole object.
 * `code` is stable (programs and tests branch on it); it is not part of the JSON output.
 */
export interface Problem {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  kind: string;
  namespace: string;
  name: string;
  path: string;
  message: string;
  code: ProblemCode;
}

/** The stable codes of {@link Problem}. */
export type ProblemCode =
  | 'file'
  | 'yaml'
  | 'limit'
  | 'kustomize'
  | 'symlink'
  | 'missing-type'
  | 'unsupported-kind'
  | 'unknown-kind'
  | 'removed-api'
  | 'ignored-kind'
  | 'unsupported-field'
  | 'unknown-field'
  | 'schema'
  | 'name'
  | 'label'
  | 'sync-option'
  | 'duplicate'
  | 'selector'
  | 'reference'
  | 'volume'
  | 'container'
  | 'port'
  | 'namespace'
  | 'restart-policy'
  | 'quantity'
  | 'no-effect'
  | 'pod-security'
  | 'host-path';

/** Orders problems by file, line, column: the order `berth validate` prints them in. */
export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}
