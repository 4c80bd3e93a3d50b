import { type Position, positionOfPointer } from '../util/yaml-position.js';
import type { FileDocuments } from './file-documents.js';

/**
 * One object read from a manifest file, with what is needed to position any problem about it.
 * `value` is the plain data (as YAML/JSON gave it); `base` is the JSON Pointer of the object
 * inside its YAML document (`''`, or `/items/3` for an item of a `kind: List`).
 */
export interface ManifestObject {
  file: string;
  /** The documents of the file, positioned on demand. */
  documents: FileDocuments;
  /** Index of the object's YAML document in its file. */
  docIndex: number;
  base: string;
  value: Record<string, unknown>;
  apiVersion: string;
  kind: string;
  /** `metadata.namespace`, or `default` for a namespaced object without one; `''` if cluster-wide. */
  namespace: string;
  name: string;
  /** Where the object starts. */
  position: Position;
  /** For an object built by Kustomize: the kustomization file that brought it in. */
  via?: string;
}

/** Where the field at `pointer` (relative to the object) is; `key` points at the key. */
export function locate(obj: ManifestObject, pointer: string, key = false): Position {
  const { doc, lineCounter } = obj.documents.document(obj.docIndex);
  if (!doc) return obj.position;
  return positionOfPointer(doc, lineCounter, obj.base + pointer, { key });
}
