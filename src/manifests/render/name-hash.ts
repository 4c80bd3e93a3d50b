import { createHash } from 'node:crypto';
import { goJson } from './go-json.js';

/**
 * The name suffix kustomize appends to a generated ConfigMap or Secret (api/hasher): the
 * SHA-256 of the object's Go JSON encoding (kind, an empty name, data and binaryData or type
 * and stringData), its first ten hex digits with 0, 1, 3, a, e replaced by g, h, k, m, t.
 */
export function contentHash(obj: Record<string, unknown>): string {
  const kind = obj.kind;
  // kustomize looks the name up as one field called "metadata/name", which never exists:
  // the name is always hashed as the empty string.
  const name = '';
  let encoded: string;
  if (kind === 'ConfigMap') {
    const m: Record<string, unknown> = { kind: 'ConfigMap', name, data: field(obj.data) };
    if (isMap(obj.binaryData)) m.binaryData = obj.binaryData;
    encoded = goJson(m);
  } else if (kind === 'Secret') {
    const m: Record<string, unknown> = {
      kind: 'Secret',
      type: obj.type === undefined || obj.type === null ? '' : scalarText(obj.type),
      name,
      data: field(obj.data),
    };
    if (isMap(obj.stringData)) m.stringData = obj.stringData;
    encoded = goJson(m);
  } else {
    encoded = goJson(obj);
  }
  return encodeHash(createHash('sha256').update(encoded).digest('hex'));
}

function field(v: unknown): unknown {
  if (v === undefined || v === null) return '';
  return isMap(v) ? v : scalarText(v);
}

function scalarText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SWAP: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };

function encodeHash(hex: string): string {
  return Array.from(hex.slice(0, 10), (c) => SWAP[c] ?? c).join('');
}
