import { type GoInt, parseGoFloat, parseGoInt } from './go-number.js';
import { parseYamlTimestamp } from './go-time.js';
import type { SopsValue } from './sops-value.js';

/** What go-yaml v3 decodes a scalar to: a value, null, or an error sops would report. */
export type ResolvedScalar = { value: SopsValue } | { null: true } | { error: string };

const LONG_PREFIX = 'tag:yaml.org,2002:';
const RESOLVABLE = new Set(['', '!!str', '!!bool', '!!int', '!!float', '!!null', '!!timestamp']);
const MAP: Record<string, SopsValue | null> = {};
for (const s of ['true', 'True', 'TRUE']) MAP[s] = { type: 'bool', value: true };
for (const s of ['false', 'False', 'FALSE']) MAP[s] = { type: 'bool', value: false };
for (const s of ['', '~', 'null', 'Null', 'NULL']) MAP[s] = null;
for (const s of ['.nan', '.NaN', '.NAN']) MAP[s] = { type: 'float', value: Number.NaN };
for (const s of ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'])
  MAP[s] = { type: 'float', value: Number.POSITIVE_INFINITY };
for (const s of ['-.inf', '-.Inf', '-.INF'])
  MAP[s] = { type: 'float', value: Number.NEGATIVE_INFINITY };
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** The short form of a tag as go-yaml writes it (`!!int`), `''` for none. */
export function shortTag(tag: string | undefined): string {
  if (!tag) return '';
  return tag.startsWith(LONG_PREFIX) ? `!!${tag.slice(LONG_PREFIX.length)}` : tag;
}

/**
 * Types a scalar exactly as go-yaml v3 does when sops decodes it into `interface{}`:
 * from its source text and style, not as a JavaScript YAML library would (`0777` is the
 * int 511, `1_000` an int, `08` the float 8, `yes` a string, `2024-01-01` a time). Only
 * plain scalars without a tag are resolved by their text; quoted and block scalars are
 * strings unless tagged. `value` is the scalar's text (folded, unescaped).
 */
export function resolveScalar(value: string, plain: boolean, rawTag?: string): ResolvedScalar {
  let tag = shortTag(rawTag);
  if (tag === '!') tag = '!!str';
  if (tag === '' && !plain) tag = '!!str';
  if (tag === '!!binary') {
    const clean = value.replace(/[\r\n]/g, '');
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean))
      return { error: 'a !!binary value is not base64' };
    return { value: { type: 'bytes', value: Buffer.from(clean, 'base64') } };
  }
  if (!RESOLVABLE.has(tag)) return { value: { type: 'str', value } };
  const resolved = resolvePlain(tag, value);
  if ('error' in resolved || tag === '' || tag === '!!str') return resolved;
  const got = 'null' in resolved ? '!!null' : tagOf(resolved.value);
  if (got === tag) return resolved;
  if (tag === '!!float' && 'value' in resolved && resolved.value.type === 'int')
    return { value: { type: 'float', value: Number(resolved.value.value) } };
  return { error: `cannot decode ${got} as a ${tag}` };
}

function tagOf(v: SopsValue): string {
  return v.type === 'time' ? '!!timestamp' : v.type === 'bytes' ? '!!binary' : `!!${v.type}`;
}

function fromInt(n: GoInt): ResolvedScalar {
  if (n.uint64) return { error: 'an integer above the int64 range (sops: unknown type uint64)' };
  return { value: { type: 'int', value: n.value } };
}

// go-yaml v3 resolve.go `resolve`, for a resolvable tag.
function resolvePlain(tag: string, input: string): ResolvedScalar {
  const str: ResolvedScalar = { value: { type: 'str', value: input } };
  if (tag === '!!str') return str;
  const first = input === '' ? 'N' : input[0];
  const hint =
    first === 'N'
      ? 'N'
      : first === '+' || first === '-'
        ? 'S'
        : /[0-9]/.test(first as string)
          ? 'D'
          : /[yYnNtTfFoO~]/.test(first as string)
            ? 'M'
            : first === '.'
              ? '.'
              : '';
  if (hint === '') return str;
  if (Object.hasOwn(MAP, input)) {
    const v = MAP[input];
    return v === null || v === undefined ? { null: true } : { value: v };
  }
  if (hint === '.') {
    const f = parseGoFloat(input);
    return f === null ? str : { value: { type: 'float', value: f } };
  }
  if (hint === 'D' || hint === 'S') {
    if (tag === '' || tag === '!!timestamp') {
      const t = parseYamlTimestamp(input);
      if (t) return { value: { type: 'time', value: t } };
    }
    const plain = input.replaceAll('_', '');
    const n = parseGoInt(plain, 0);
    if (n) return fromInt(n);
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = parseGoFloat(plain);
      if (f !== null) return { value: { type: 'float', value: f } };
    }
    const prefixed = /^(-?)0([bo])(.*)$/s.exec(plain);
    if (prefixed) {
      const m = parseGoInt(`${prefixed[1]}0${prefixed[2]}${prefixed[3]}`, 0);
      if (m) return fromInt(m);
    }
  }
  return str;
}
