// Serialization as `kustomize build` prints a resource: kustomize marshals each resource to
// JSON and converts that with sigs.k8s.io/yaml (go-yaml v2's emitter). So keys come out sorted
// (go-yaml's natural order), comments and input styles are gone, and scalars are quoted,
// folded at 80 columns or written as literal blocks exactly as go-yaml v2 decides. This file
// re-implements that emitter's observable behaviour for JSON values (no anchors, no flow).

const BEST_WIDTH = 80;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const RESOLVE_MAP = new Set(
  'y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF ~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF <<'.split(
    ' ',
  ),
);

/** The YAML of one JSON value, as `yaml.JSONToYAML(json.Marshal(value))` gives it. */
export function toGoYaml(value: unknown): string {
  const e = new Emitter();
  e.node(value, 'root', -1);
  if (e.column !== 0) e.out.push('\n');
  return e.out.join('');
}

/** True when go-yaml v2 reads the plain scalar `s` as something other than a string. */
function resolvesNonString(s: string): boolean {
  if (s === '') return true;
  if (RESOLVE_MAP.has(s)) return true;
  const c = s[0] as string;
  if (c === '.') return YAML_FLOAT.test(s) || /^\.[0-9]/.test(s) ? !Number.isNaN(Number(s)) : false;
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9'))) return false;
  if (isTimestamp(s)) return true;
  const plain = s.replaceAll('_', '');
  if (goParseInt(plain)) return true;
  if (YAML_FLOAT.test(plain)) return true;
  if (/^-?0b[01]+$/.test(plain)) return true;
  return false;
}

function goParseInt(s: string): boolean {
  // strconv.ParseInt/ParseUint with base 0: optional sign, 0x/0o/0b/leading-0 octal, decimal.
  return /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]*|0[bB][01]+|[1-9][0-9]*)$/.test(s);
}

function isTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false;
  return (
    /^\d{4}-\d{1,2}-\d{1,2}$/.test(s) ||
    /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) ||
    /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/.test(s)
  );
}

/** go-yaml v2's key order: numbers and letters compared "naturally". */
export function goKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i] as string);
    const bl = isLetter(br[i] as string);
    if (al && bl) return cp(ar[i]) < cp(br[i]);
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j] as string); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai] as string); ai++) an = an * 10 + Number(ar[ai]);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi] as string); bi++) bn = bn * 10 + Number(br[bi]);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return cp(ar[i]) < cp(br[i]);
  }
  return ar.length < br.length;
}

function cp(c: string | undefined): number {
  return c?.codePointAt(0) ?? 0;
}

function isLetter(c: string): boolean {
  return /\p{L}/u.test(c);
}
function isDigit(c: string): boolean {
  return /\p{Nd}/u.test(c);
}

/** Sorts keys as go-yaml v2 does (a stable sort with {@link goKeyLess}). */
export function goSortKeys(keys: string[]): string[] {
  return keys.sort((x, y) => (goKeyLess(x, y) ? -1 : goKeyLess(y, x) ? 1 : 0));
}

/** How a JSON number comes back from go-yaml: integers as integers, others as Go floats. */
function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return BigInt(n).toString();
  return goFormatFloat(n);
}

/** strconv.FormatFloat(f, 'g', -1, 64) with go-yaml's names for the infinities and NaN. */
export function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Number.POSITIVE_INFINITY) return '.inf';
  if (f === Number.NEGATIVE_INFINITY) return '-.inf';
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(f.toExponential());
  if (!m) return String(f);
  const [, sign, d0, rest = '', e] = m;
  const x = Number(e);
  // Shortest precision: the exponent form when exp < -4 || exp >= 6 (strconv's eprec = 6).
  if (x < -4 || x >= 6) {
    const ax = Math.abs(x);
    return `${sign}${rest ? `${d0}.${rest}` : d0}e${x < 0 ? '-' : '+'}${ax < 10 ? `0${ax}` : ax}`;
  }
  return String(f);
}

type Style = 'plain' | 'single' | 'double' | 'literal';

interface Analysis {
  multiline: boolean;
  blockPlain: boolean;
  singleAllowed: boolean;
  blockAllowed: boolean;
}

function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}
function isBreak(cp: number | undefined): boolean {
  return cp === 0x0d || cp === 0x0a || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
}
function isBlank(cp: number | undefined): boolean {
  return cp === 0x20 || cp === 0x09;
}

function analyze(chars: number[]): Analysis {
  if (chars.length === 0)
    return { multiline: false, blockPlain: true, singleAllowed: true, blockAllowed: false };
  let blockIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  const first3 = String.fromCodePoint(...chars.slice(0, 3));
  if (first3 === '---' || first3 === '...') blockIndicators = true;
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as number;
    const next = chars[i + 1];
    const followedByWhitespace = i + 1 >= chars.length || isBlank(next) || isBreak(next);
    const ch = String.fromCodePoint(c);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      else if ((ch === '?' || ch === ':') && followedByWhitespace) blockIndicators = true;
      else if (ch === '-' && followedByWhitespace) blockIndicators = true;
    } else if (ch === ':' && followedByWhitespace) blockIndicators = true;
    else if (ch === '#' && precededByWhitespace) blockIndicators = true;
    if (!isPrintable(c)) special = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c);
  }
  const a: Analysis = {
    multiline: lineBreaks,
    blockPlain: true,
    singleAllowed: true,
    blockAllowed: true,
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.blockPlain = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) {
    a.blockPlain = false;
    a.singleAllowed = false;
  }
  if (spaceBreak || special) {
    a.blockPlain = false;
    a.singleAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) a.blockPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}

class Emitter {
  out: string[] = [];
  column = 0;
  indent = -1;
  whitespace = true;
  indention = true;

  private put(s: string): void {
    this.out.push(s);
    this.column += s.length;
  }
  private putChar(cp: number): void {
    this.out.push(String.fromCodePoint(cp));
    this.column += 1;
  }
  private putBreak(): void {
    this.out.push('\n');
    this.column = 0;
  }
  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))
      this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }
  private indicator(
    s: string,
    needWhitespace: boolean,
    isWhitespace: boolean,
    isIndention: boolean,
  ) {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(s);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** Emits a node; `ctx` says where it sits (root, mapping key, mapping value, sequence item). */
  node(value: unknown, ctx: 'root' | 'key' | 'value' | 'item', _unused: number): void {
    if (Array.isArray(value)) {
      if (value.length === 0) {
        this.flowEmpty('[]');
        return;
      }
      const saved = this.indent;
      const indentless = ctx === 'value' && !this.indention;
      if (this.indent < 0) this.indent = 0;
      else if (!indentless) this.indent += 2;
      for (const item of value) {
        this.writeIndent();
        this.indicator('-', true, false, true);
        this.node(item, 'item', 0);
      }
      this.indent = saved;
      return;
    }
    if (value !== null && typeof value === 'object') {
      const keys = goSortKeys(Object.keys(value));
      if (keys.length === 0) {
        this.flowEmpty('{}');
        return;
      }
      const saved = this.indent;
      this.indent = this.indent < 0 ? 0 : this.indent + 2;
      for (const key of keys) {
        this.writeIndent();
        this.scalar(key, true);
        this.indicator(':', false, false, false);
        this.node((value as Record<string, unknown>)[key], 'value', 0);
      }
      this.indent = saved;
      return;
    }
    this.scalar(value, false);
  }

  private flowEmpty(s: string): void {
    this.indicator(s, true, false, false);
  }

  private scalar(value: unknown, simpleKey: boolean): void {
    let text: string;
    let style: Style;
    if (value === null || value === undefined) {
      text = 'null';
      style = 'plain';
    } else if (typeof value === 'boolean') {
      text = String(value);
      style = 'plain';
    } else if (typeof value === 'number') {
      text = formatNumber(value);
      style = 'plain';
    } else {
      text = String(value);
      const canUsePlain = !resolvesNonString(text) && !BASE60.test(text);
      style = text.includes('\n') ? 'literal' : canUsePlain ? 'plain' : 'double';
    }
    const chars = Array.from(text, (c) => c.codePointAt(0) as number);
    const a = analyze(chars);
    if (simpleKey && a.multiline) style = 'double';
    if (style === 'plain' && (!a.blockPlain || (chars.length === 0 && simpleKey))) style = 'single';
    if (style === 'single' && !a.singleAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
    const saved = this.indent;
    this.indent = this.indent < 0 ? 2 : this.indent + 2;
    const allowBreaks = !simpleKey;
    if (style === 'plain') this.writePlain(chars, allowBreaks);
    else if (style === 'single') this.writeSingle(chars, allowBreaks);
    else if (style === 'double') this.writeDouble(chars, allowBreaks);
    else this.writeLiteral(chars);
    this.indent = saved;
  }

  private writePlain(chars: number[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] as number;
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && chars[i + 1] !== 0x20) {
          this.writeIndent();
        } else this.putChar(c);
        spaces = true;
      } else {
        this.putChar(c);
        this.indention = false;
        spaces = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingle(chars: number[], allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] as number;
      if (c === 0x20) {
        if (
          allowBreaks &&
          !spaces &&
          this.column > BEST_WIDTH &&
          i > 0 &&
          i < chars.length - 1 &&
          chars[i + 1] !== 0x20
        ) {
          this.writeIndent();
        } else this.putChar(c);
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.putBreak();
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) this.put("'");
        this.putChar(c);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.indicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDouble(chars: number[], allowBreaks: boolean): void {
    let spaces = false;
    this.indicator('"', true, false, false);
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] as number;
      if (!isPrintable(c) || c === 0xfeff || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.put('\\');
        const esc: Record<number, string> = {
          0: '0',
          7: 'a',
          8: 'b',
          9: 't',
          10: 'n',
          11: 'v',
          12: 'f',
          13: 'r',
          27: 'e',
          34: '"',
          92: '\\',
          133: 'N',
          160: '_',
          8232: 'L',
          8233: 'P',
        };
        const e = esc[c];
        if (e !== undefined) this.put(e);
        else if (c <= 0xff) this.put(`x${c.toString(16).toUpperCase().padStart(2, '0')}`);
        else if (c <= 0xffff) this.put(`u${c.toString(16).toUpperCase().padStart(4, '0')}`);
        else this.put(`U${c.toString(16).toUpperCase().padStart(8, '0')}`);
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < chars.length - 1) {
          this.writeIndent();
          if (chars[i + 1] === 0x20) this.put('\\');
        } else this.putChar(c);
        spaces = true;
      } else {
        this.putChar(c);
        spaces = false;
      }
    }
    this.indicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(chars: number[]): void {
    this.indicator('|', true, false, false);
    if (chars[0] === 0x20 || isBreak(chars[0])) this.indicator('2', false, false, false);
    const n = chars.length;
    let chomp = '';
    if (n === 0 || !isBreak(chars[n - 1])) chomp = '-';
    else if (n === 1) chomp = '+';
    else if (isBreak(chars[n - 2])) chomp = '+';
    if (chomp) this.indicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const c of chars) {
      if (isBreak(c)) {
        this.putBreak();
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.putChar(c);
        this.indention = false;
        breaks = false;
      }
    }
  }
}
