import { createHash } from 'node:crypto';

/** Kubernetes' alphabet for generated name suffixes: no vowels (no words), no look-alikes. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The `pod-template-hash` of a pod template: the same template always gives the same ten
 * characters, in Kubernetes' safe alphabet, so a ReplicaSet (and its pods) is named after the
 * template it runs. `collisionCount` (status.collisionCount) changes it when two templates collide.
 */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const digest = createHash('sha256')
    .update(canonicalJson(template))
    .update(String(collisionCount))
    .digest();
  let out = '';
  for (let i = 0; out.length < 10; i++) out += ALPHABET[(digest[i] as number) % ALPHABET.length];
  return out;
}

/** JSON with object keys sorted: equal values give equal text whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
