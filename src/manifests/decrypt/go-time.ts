// Go's time parsing and `MarshalText` for the two places sops meets times: YAML timestamps
// (go-yaml's accepted layouts) and `time`-typed values and `lastmodified` (RFC 3339).

/** A wall-clock time with its offset, as Go's time.Time prints it. */
export interface GoTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction digits as written (up to 9), no trailing zeros. */
  fraction: string;
  /** Offset in minutes east of UTC. */
  offset: number;
}

const YAML_LAYOUTS = [
  // 2006-1-2T15:4:5.999999999Z07:00, with T or t
  /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/,
  // 2006-1-2 15:4:5.999999999 (UTC)
  /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?()$/,
  // 2006-1-2 (UTC midnight)
  /^(\d{4})-(\d{1,2})-(\d{1,2})()()()()()$/,
];
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

/** go-yaml v3's `parseTimestamp`: the YAML timestamp layouts it accepts, or null. */
export function parseYamlTimestamp(s: string): GoTime | null {
  for (const layout of YAML_LAYOUTS) {
    const t = fromMatch(layout.exec(s));
    if (t) return t;
  }
  return null;
}

/** `time.Parse(time.RFC3339, s)` (fractional seconds accepted, as Go does), or null. */
export function parseRfc3339(s: string): GoTime | null {
  return fromMatch(RFC3339.exec(s));
}

function fromMatch(m: RegExpExecArray | null): GoTime | null {
  if (!m) return null;
  const n = (i: number) => Number(m[i] || 0);
  const t: GoTime = {
    year: n(1),
    month: n(2),
    day: n(3),
    hour: n(4),
    minute: n(5),
    second: n(6),
    fraction: (m[7] ?? '').slice(0, 9).replace(/0+$/, ''),
    offset: 0,
  };
  const zone = m[8] ?? '';
  if (zone !== '' && zone !== 'Z') {
    const [h, mi] = zone.slice(1).split(':').map(Number) as [number, number];
    if (h > 23 || mi > 59) return null;
    t.offset = (zone.startsWith('-') ? -1 : 1) * (h * 60 + mi);
  }
  const daysInMonth = new Date(Date.UTC(t.year, t.month, 0)).getUTCDate();
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > daysInMonth) return null;
  if (t.hour > 23 || t.minute > 59 || t.second > 59) return null;
  return t;
}

const pad = (v: number, width = 2) => String(v).padStart(width, '0');

function zoneText(offset: number): string {
  if (offset === 0) return 'Z';
  const a = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** `t.Format(time.RFC3339)`: seconds only, `Z` for a zero offset. */
export function formatRfc3339(t: GoTime): string {
  return `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}${zoneText(t.offset)}`;
}

/** `t.MarshalText()`: RFC 3339 with nanoseconds, trailing zeros dropped. */
export function marshalGoTime(t: GoTime): string {
  const base = formatRfc3339(t);
  if (t.fraction === '') return base;
  const zone = zoneText(t.offset);
  return `${base.slice(0, base.length - zone.length)}.${t.fraction}${zone}`;
}
