/** The top-level `sops:` blocks of a block-style YAML file, found by a line scan. */
export interface SopsBlocks {
  /** The file with every block's characters but line breaks turned into spaces. */
  body: string;
  /** The first document's block: `sops:` and its indented lines. */
  first: { start: number; text: string };
}

/**
 * Finds the top-level `sops:` mapping of each document of a block-style YAML file (sops
 * writes `sops:` at column 0 followed by indented lines) so the metadata can be read apart
 * and the body parsed without it. Returns null whenever the layout is anything else (flow
 * style, directives, a block outside the first document only, two blocks in one document):
 * the caller then parses the whole file.
 */
export function splitSopsBlocks(text: string): SopsBlocks | null {
  const regions: Array<{ start: number; end: number; doc: number }> = [];
  let doc = 0;
  let content = false;
  let open: { start: number; doc: number } | null = null;
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineStart = offset;
    offset += line.length + 1;
    const indented = line === '' || line.startsWith(' ') || line.startsWith('\t') || line === '\r';
    if (open && indented) continue;
    if (open) {
      regions.push({ start: open.start, end: lineStart - 1, doc: open.doc });
      open = null;
    }
    if (/^(---|\.\.\.)(\s|$)/.test(line)) {
      if (line.startsWith('...')) return null;
      if (content) doc++;
      content = false;
      continue;
    }
    if (line.startsWith('%')) return null;
    if (/^sops\s*:/.test(line)) {
      if (!/^sops:\s*$/.test(line)) return null;
      if (regions.some((r) => r.doc === doc)) return null;
      open = { start: lineStart, doc };
      content = true;
      continue;
    }
    if (!indented && !line.startsWith('#')) content = true;
  }
  if (open)
    regions.push({ start: open.start, end: Math.min(offset - 1, text.length), doc: open.doc });
  const first = regions[0];
  if (first?.doc !== 0) return null;
  let body = '';
  let cursor = 0;
  for (const r of regions) {
    body += text.slice(cursor, r.start) + text.slice(r.start, r.end).replace(/[^\n]/g, ' ');
    cursor = r.end;
  }
  body += text.slice(cursor);
  return { body, first: { start: first.start, text: text.slice(first.start, first.end) } };
}
