import { escapeControl } from '../util/escape-control.js';

/**
 * Rows as kubectl prints a table (its tabwriter: padding 3, minimum width 6): every column but
 * the last padded to its widest cell, trailing spaces trimmed, one line per row. Control
 * characters in a cell (names, subjects, messages from the repository) are escaped.
 */
export function printTable(
  header: readonly string[],
  rawRows: ReadonlyArray<readonly string[]>,
): string {
  const rows = rawRows.map((r) => r.map(escapeControl));
  const widths = header.map((h, i) =>
    Math.max(6, h.length + 3, ...rows.map((r) => (r[i] ?? '').length + 3)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/**
 * Aligns tab-separated cells as Go's text/tabwriter does (kubectl describe: padding 2): a
 * column is aligned over each run of consecutive lines that have a cell in it; the text after
 * a line's last tab is not a cell and is never padded. Control characters are escaped (a
 * line break stays one).
 */
export function alignTabs(text: string, padding = 2): string {
  const lines = text.split('\n').map((l) => l.split('\t').map(escapeControl));
  const widths: number[][] = lines.map(() => []);
  alignColumn(lines, widths, 0, 0, lines.length, padding);
  return lines
    .map((cells, i) =>
      cells
        .map((c, j) => (j < cells.length - 1 ? c.padEnd(widths[i]?.[j] ?? 0) : c))
        .join('')
        .trimEnd(),
    )
    .join('\n');
}

// Column `col` over lines [from, to): each maximal run of lines with a cell in this column
// (more than col + 1 parts) gets one width; then the next column within that run.
function alignColumn(
  lines: string[][],
  widths: number[][],
  col: number,
  from: number,
  to: number,
  padding: number,
): void {
  let i = from;
  while (i < to) {
    if ((lines[i] as string[]).length <= col + 1) {
      i++;
      continue;
    }
    let end = i;
    let width = 0;
    while (end < to && (lines[end] as string[]).length > col + 1) {
      width = Math.max(width, ((lines[end] as string[])[col] as string).length + padding);
      end++;
    }
    for (let k = i; k < end; k++) (widths[k] as number[])[col] = width;
    alignColumn(lines, widths, col + 1, i, end, padding);
    i = end;
  }
}
