import type { BerthObject } from './generated/k8s-objects.js';
import type { Problem } from './problem.js';

/** Where an object was written: file (relative to the source path), line and column. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/** One object the revision asks for: its identity, its data (nulls removed) and its origin. */
export interface DesiredObject {
  /** {@link objectKey}: `apiVersion kind namespace/name`. */
  key: string;
  apiVersion: string;
  kind: string;
  /** `''` for cluster-wide kinds (Namespace); `default` when a namespaced object names none. */
  namespace: string;
  name: string;
  object: BerthObject;
  source: SourcePosition;
}

/** What a revision describes: its objects keyed by {@link objectKey}, in file order. */
export interface DesiredState {
  objects: ReadonlyMap<string, DesiredObject>;
}

/** The outcome of validating a revision: valid only when no problem is an error. */
export interface ValidationResult {
  valid: boolean;
  /** Objects read (every kind, ignored ones included). */
  objects: number;
  /** Manifest files read. */
  files: number;
  /** Every problem, sorted by file, line, column. */
  problems: Problem[];
  /** The desired state; empty when the revision is invalid (a revision is all or nothing). */
  state: DesiredState;
}

/** The key of an object in a {@link DesiredState}: `apps/v1 Deployment default/web`, `v1 Namespace /shop`. */
export function objectKey(o: {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}): string {
  return `${o.apiVersion} ${o.kind} ${o.namespace}/${o.name}`;
}
