import type { Secret } from './pod-spec.js';

/** A Secret's content as bytes: `data` (base64) merged with `stringData` (plain, wins). */
export function secretData(secret: Secret): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = Buffer.from(v, 'base64');
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = Buffer.from(v, 'utf8');
  return out;
}
