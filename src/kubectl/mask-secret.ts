import type { StoredObject } from '../store/index.js';

/** What every Secret value is replaced by in `berth get` output. */
export const MASK = '<redacted>';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A copy of an object fit for printing: a Secret's `data` and `stringData` values are replaced
 * by {@link MASK} (keys kept), and a last-applied-configuration annotation, which would carry
 * them too, is masked. Any other kind is returned as it is.
 */
export function maskSecret(o: StoredObject): StoredObject {
  if (o.kind !== 'Secret') return o;
  const copy = structuredClone(o) as StoredObject & {
    data?: Record<string, string>;
    stringData?: Record<string, string>;
  };
  for (const field of ['data', 'stringData'] as const) {
    const values = copy[field];
    if (values && typeof values === 'object')
      copy[field] = Object.fromEntries(Object.keys(values).map((k) => [k, MASK]));
  }
  const annotations = copy.metadata.annotations;
  if (annotations?.[LAST_APPLIED] !== undefined) annotations[LAST_APPLIED] = MASK;
  return copy;
}
