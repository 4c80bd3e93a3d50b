import type { FieldChange } from './diff-values.js';

/** What a Secret value is replaced with wherever a plan shows it. */
export const MASK = '(secret)';

/** A copy of a Secret with every value of `data` and `stringData` replaced by {@link MASK}; keys stay. */
export function maskSecret(value: Record<string, unknown>): Record<string, unknown> {
  const masked: Record<string, unknown> = { ...value };
  for (const field of ['data', 'stringData']) {
    const map = value[field];
    if (map && typeof map === 'object') {
      masked[field] = Object.fromEntries(Object.keys(map).map((k) => [k, MASK]));
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
    if ('after' in c) masked.after = MASK;
    return masked;
  });
}
