import { pointerToPath } from './field-path.js';
import { locate, type ManifestObject } from './manifest-object.js';
import type { Problem, ProblemCode, Severity } from './problem.js';

/** Collects problems about objects, positioned at a field of the object (a JSON Pointer). */
export class Reporter {
  readonly problems: Problem[] = [];

  /** Adds a problem about the field at `ptr` of `obj`; `key` positions at the field's key. */
  add(
    obj: ManifestObject,
    ptr: string,
    severity: Severity,
    code: ProblemCode,
    message: string,
    key = false,
  ): void {
    const at = locate(obj, ptr, key);
    this.problems.push({
      file: obj.file,
      line: at.line,
      column: at.column,
      severity,
      kind: obj.kind,
      namespace: obj.namespace,
      name: obj.name,
      path: pointerToPath(ptr),
      message: obj.via ? `${message} (from kustomization ${obj.via})` : message,
      code,
    });
  }

  error(obj: ManifestObject, ptr: string, code: ProblemCode, message: string, key = false): void {
    this.add(obj, ptr, 'error', code, message, key);
  }

  warning(obj: ManifestObject, ptr: string, code: ProblemCode, message: string, key = false): void {
    this.add(obj, ptr, 'warning', code, message, key);
  }
}
