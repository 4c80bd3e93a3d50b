import type { StoredEvent } from '../store/index.js';
import { humanDuration } from './human-duration.js';
import { alignTabs } from './print-table.js';

/**
 * kubectl describe's output builder: lines at indent levels (2 spaces each) with `\t`
 * between cells, aligned at the end as kubectl's tabwriter aligns them (padding 2).
 */
export class DescribeWriter {
  private readonly lines: string[] = [];

  /** Adds one line at `level` (indent 2 × level); `\t` separates aligned cells. */
  line(level: number, text: string): void {
    this.lines.push(`${'  '.repeat(level)}${text}`);
  }

  /** `Title:\tvalue` at `level`; an empty or missing value prints `<none>`. */
  field(level: number, title: string, value: string | number | boolean | undefined): void {
    const text = value === undefined || value === '' ? '<none>' : String(value);
    this.line(level, `${title}:\t${text}`);
  }

  /** `Labels:` and `Annotations:` as kubectl prints maps: one `key=value` per line, sorted. */
  map(level: number, title: string, values: Record<string, string> | undefined, sep = '='): void {
    const entries = Object.entries(values ?? {}).sort(([a], [b]) => a.localeCompare(b));
    if (entries.length === 0) {
      this.field(level, title, undefined);
      return;
    }
    entries.forEach(([k, v], i) => {
      this.line(level, `${i === 0 ? `${title}:` : ''}\t${k}${sep}${v}`);
    });
  }

  /** A table: a header, its underline (dashes as long as each title by default), and rows, at `level`. */
  table(
    level: number,
    header: readonly string[],
    rows: ReadonlyArray<readonly string[]>,
    underline = header.map((h) => '-'.repeat(h.length)),
  ): void {
    this.line(level, header.join('\t'));
    this.line(level, underline.join('\t'));
    for (const row of rows) this.line(level, row.join('\t'));
  }

  /**
   * kubectl's `Events:` section from events newest first (as EventStore returns them), printed
   * oldest first; `<none>` when there are none.
   */
  events(events: readonly StoredEvent[], now: Date): void {
    if (events.length === 0) {
      this.line(0, 'Events:\t<none>');
      return;
    }
    this.line(0, 'Events:');
    this.table(
      1,
      ['Type', 'Reason', 'Age', 'From', 'Message'],
      [...events]
        .reverse()
        .map((e) => [
          e.type,
          e.reason,
          humanDuration(now.getTime() - Date.parse(e.time)),
          eventSource(e.object.kind),
          e.message,
        ]),
      ['----', '------', '----', '----', '-------'],
    );
  }

  /** The text, aligned, ending with a newline. */
  toString(): string {
    return `${alignTabs(this.lines.join('\n'))}\n`;
  }
}

/** The `From` column: the Berth component that acts on the kind (events carry no component). */
export function eventSource(kind: string): string {
  switch (kind) {
    case 'Deployment':
      return 'deployment-controller';
    case 'ReplicaSet':
      return 'replicaset-controller';
    case 'Pod':
      return 'berth-node';
    default:
      return 'berth';
  }
}

/** kubectl's time format in describe (RFC 1123 with a numeric zone): `Mon, 23 Nov 2026 11:27:56 +0000`. */
export function describeTime(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const [day, date, month, year, time] = d.toUTCString().replace(',', '').split(' ');
  return `${day}, ${date} ${month} ${year} ${time} +0000`;
}
