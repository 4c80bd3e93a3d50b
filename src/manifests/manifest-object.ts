import type { Document, LineCounter } from 'yaml';
import { type Position, positionOfPointer } from '../util/yaml-position.js';

/**
 * One object read from a manifest file, with what is needed to position any problem about it.
 * `value` is the plain data (as YAML/JSON gave it); `base` is the JSON Pointer of the object
 * inside its YAML document (`''`, or `/items/3` for an item of a `kind: List`).
 */
export interface ManifestObject {
  file: string;
  doc: Document;
  lineCounter: LineCounter;
  base: string;
  value: Record<string, unknown>;
  apiVersion: string;
  kind: string;
  /** `metadata.namespace`, or `default` for a namespaced object without one; `''` if cluster-wide. */
  namespace: string;
  name: string;
  /** Where the object starts. */
  position: Position;
}

/** Where the field at `pointer` (relative to the object) is; `key` points at the key. */
export function locate(obj: ManifestObject, pointer: string, key = false): Position {
  return positionOfPointer(obj.doc, obj.lineCounter, obj.base + pointer, { key });
}
