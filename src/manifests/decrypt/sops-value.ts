import { formatGoFloat, parseGoBool, parseGoFloat, parseGoInt } from './go-number.js';
import { type GoTime, marshalGoTime, parseRfc3339 } from './go-time.js';

/** A leaf of a sops tree, typed as sops types it (Go's string, []byte, int, float64, bool, time.Time). */
export type SopsValue =
  /** `raw`: the plaintext bytes of a decrypted string (Go strings may hold any bytes). */
  | { type: 'str'; value: string; raw?: Buffer }
  | { type: 'bytes'; value: Buffer }
  | { type: 'int'; value: bigint }
  | { type: 'float'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'time'; value: GoTime };

/** The bytes sops hashes into the MAC for a leaf (`sops.ToBytes`). */
export function macBytes(v: SopsValue): Buffer {
  switch (v.type) {
    case 'bytes':
      return v.value;
    case 'str':
      return v.raw ?? Buffer.from(v.value, 'utf8');
    case 'bool':
      return Buffer.from(v.value ? 'True' : 'False');
    default:
      return Buffer.from(textOf(v), 'utf8');
  }
}

/** The text of a value: what sops writes for it in a dotenv or binary output. */
export function textOf(v: SopsValue): string {
  switch (v.type) {
    case 'str':
      return v.value;
    case 'bytes':
      return v.value.toString('utf8');
    case 'int':
      return v.value.toString();
    case 'float':
      return formatGoFloat(v.value);
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'time':
      return marshalGoTime(v.value);
  }
}

/**
 * The decrypted plaintext of an `ENC[…]` value turned into a value by its `type`, as sops's
 * cipher does (`Atoi`, `ParseFloat`, `ParseBool`, `time.UnmarshalText`). A string is the
 * reason when the plaintext does not parse as its type.
 */
export function fromPlaintext(type: string, plaintext: Buffer): SopsValue | string {
  const text = plaintext.toString('utf8');
  switch (type) {
    case 'str':
      return { type: 'str', value: text, raw: plaintext };
    case 'bytes':
      return { type: 'bytes', value: plaintext };
    case 'int': {
      const n = parseGoInt(text, 10);
      return n && !n.uint64 ? { type: 'int', value: n.value } : 'an int value does not parse';
    }
    case 'float': {
      const f = parseGoFloat(text);
      return f === null ? 'a float value does not parse' : { type: 'float', value: f };
    }
    case 'bool': {
      const b = parseGoBool(text);
      return b === null ? 'a bool value does not parse' : { type: 'bool', value: b };
    }
    case 'time': {
      const t = parseRfc3339(text);
      return t ? { type: 'time', value: t } : 'a time value does not parse';
    }
    default:
      return `unknown value type "${type.slice(0, 20)}"`;
  }
}

/**
 * How a decrypted value is written back into a YAML or JSON file in place of its `ENC[…]`
 * scalar: one line (so every later position in the file stays where it was), parsed by
 * Berth's YAML readers to the value sops would emit. Strings are double-quoted with every
 * character a reader could treat specially escaped.
 */
export function yamlText(v: SopsValue): string {
  switch (v.type) {
    case 'str':
      return quote(v.value);
    case 'bytes':
      return quote(v.value.toString('utf8'));
    case 'time':
      return quote(marshalGoTime(v.value));
    case 'int':
      return v.value.toString();
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'float':
      if (Number.isNaN(v.value)) return '.nan';
      if (!Number.isFinite(v.value)) return v.value > 0 ? '.inf' : '-.inf';
      return Number.isInteger(v.value) && !Object.is(v.value, -0)
        ? `${formatGoFloat(v.value)}.0`
        : formatGoFloat(v.value);
  }
}

/** A YAML (and JSON) double-quoted scalar of `s` on one line. */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0x2028 ||
      c === 0x2029 ||
      c === 0xfeff ||
      (c >= 0xd800 && c <= 0xdfff)
    )
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
