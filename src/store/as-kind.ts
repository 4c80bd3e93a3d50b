import type { Kind } from '../manifests/generated/k8s-kinds.js';
import { objectKey } from '../util/object-key.js';
import type { Stored, StoredObject } from './object-store.js';

// A cheap leaf (scripts/check-folders.mjs): the CLI's printers type objects without loading the
// stores.

/**
 * The one conversion from the store's untyped objects to their kind's type (as gitops-engine
 * converts unstructured objects once, at the boundary): an object of a kind came from Git,
 * where it passed the schema and semantic checks its type describes, or from its controller.
 * Throws on an object of another kind.
 */
export function asKind<K extends Kind>(kind: K, object: StoredObject): Stored<K> {
  if (object.kind !== kind)
    throw new Error(
      `expected a ${kind}, got ${objectKey(object.kind, object.metadata.namespace ?? '', object.metadata.name)}`,
    );
  return object as unknown as Stored<K>;
}

/** The objects of one kind among `objects` (the children of an owner), typed. */
export function ofKind<K extends Kind>(objects: readonly StoredObject[], kind: K): Stored<K>[] {
  return objects.filter((o) => o.kind === kind).map((o) => asKind(kind, o));
}
