import type { FieldChange } from './diff-values.js';

/** What a Secret value is replaced with wherever a plan shows it. */
export const MASK = '(secret)';

/** What a changed Secret value is replaced with on the new side, so a diff shows which key changed. */
export const MASK_CHANGED = '(secret: changed)';

/**
 * A copy of a Secret with every value of `data` and `stringData` replaced by {@link MASK}; keys
 * stay. Given the other side (`compareTo`), a value that differs from it reads
 * {@link MASK_CHANGED} instead, so a diff of two masked Secrets still names the changed keys.
 */
export function maskSecret(
  value: Record<string, unknown>,
  compareTo?: Record<string, unknown>,
): Record<string, unknown> {
  const masked: Record<string, unknown> = { ...value };
  for (const field of ['data', 'stringData']) {
    const map = value[field] as Record<string, unknown> | undefined;
    if (map && typeof map === 'object') {
      const other = compareTo?.[field] as Record<string, unknown> | undefined;
      masked[field] = Object.fromEntries(
        Object.entries(map).map(([k, v]) => [
          k,
          compareTo && other?.[k] !== undefined && other[k] !== v ? MASK_CHANGED : MASK,
        ]),
      );
    }
  }
  return masked;
}

/** A Secret's changes with values under data/stringData masked: the plan says only "changed". */
export function maskSecretChanges(changes: FieldChange[]): FieldChange[] {
  return changes.map((c) => {
    if (!/^(data|stringData)(\.|$)/.test(c.path)) return c;
    const masked: FieldChange = { path: c.path };
    if ('before' in c) masked.before = MASK;
    if ('after' in c) masked.after = 'before' in c ? MASK_CHANGED : MASK;
    return masked;
  });
}
