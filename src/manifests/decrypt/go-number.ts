// Go's strconv, as far as sops's value typing and MAC need it: the same strings accepted,
// the same text produced. JavaScript's own conversions differ (exponents from 1e21, `0x`
// accepted by Number(), no octal `0777`), so nothing here uses them directly on input.

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent. */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(Math.abs(v))) as RegExpExecArray;
  let digits = (m[1] as string) + (m[2] ?? '');
  let point = (m[1] as string).length + Number(m[3] ?? 0);
  while (digits.length > 1 && digits.startsWith('0')) {
    digits = digits.slice(1);
    point--;
  }
  if (digits === '0') return `${sign}0`;
  let text: string;
  if (point <= 0) text = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + '0'.repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + text;
}

/**
 * `strconv.ParseFloat(s, 64)` for decimal input and `inf`/`infinity`/`nan` (any case, signed);
 * null when Go would return an error (syntax, or out of range). Hexadecimal floats are not
 * accepted (sops never writes them).
 */
export function parseGoFloat(s: string): number | null {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if ((special[2] as string).toLowerCase() === 'nan') return special[1] ? null : Number.NaN;
    return special[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/** An integer as Go holds it: int64, or uint64 when only that fits. */
export type GoInt = { value: bigint; uint64: boolean };

/**
 * `strconv.ParseInt(s, base, 64)`, falling back to `ParseUint` as go-yaml does: base 0 takes
 * Go's prefixes (`0x`, `0o`, `0b`, and a bare leading `0` for octal); base 10 is `Atoi`.
 * Null when neither parses.
 */
export function parseGoInt(s: string, base: 0 | 10): GoInt | null {
  const m = /^([+-]?)(.*)$/s.exec(s) as RegExpExecArray;
  const negative = m[1] === '-';
  let body = m[2] as string;
  let radix = 10;
  if (base === 0) {
    if (/^0[xX]/.test(body)) [radix, body] = [16, body.slice(2)];
    else if (/^0[oO]/.test(body)) [radix, body] = [8, body.slice(2)];
    else if (/^0[bB]/.test(body)) [radix, body] = [2, body.slice(2)];
    else if (body.length > 1 && body.startsWith('0')) [radix, body] = [8, body.slice(1)];
  }
  const valid = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^\d+$/, 16: /^[0-9a-fA-F]+$/ }[radix] as RegExp;
  if (!valid.test(body)) return null;
  let value = 0n;
  for (const ch of body.toLowerCase()) value = value * BigInt(radix) + BigInt(parseInt(ch, 16));
  if (negative) value = -value;
  if (value >= INT64_MIN && value <= INT64_MAX) return { value, uint64: false };
  if (!m[1] && value <= UINT64_MAX) return { value, uint64: true };
  return null;
}

/** `strconv.ParseBool`. */
export function parseGoBool(s: string): boolean | null {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return null;
}
