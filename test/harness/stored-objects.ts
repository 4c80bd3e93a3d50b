// Objects as the store holds them, for tests that hand them to pure code without a store.
import { randomUUID } from 'node:crypto';
import type { StoredMetadata, StoredObject } from '../../src/store/index.js';

/** The creation time of a test object that names none. */
export const TEST_CREATED = '2024-01-01T00:00:00Z';

/**
 * Whole stored metadata from the fields a test names: the ones the store assigns (a fresh uid,
 * generation 1, creationTimestamp {@link TEST_CREATED}) filled in where absent.
 */
export function storedMetadata(
  metadata: Partial<StoredMetadata> & { name: string },
): StoredMetadata {
  return { uid: randomUUID(), generation: 1, creationTimestamp: TEST_CREATED, ...metadata };
}

/** An object literal (a YAML fixture's) with its metadata completed as the store would. */
export function asStored(object: {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
}): StoredObject {
  return { ...object, metadata: storedMetadata(object.metadata) };
}
