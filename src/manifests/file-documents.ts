import { type Document, LineCounter, parseAllDocuments } from 'yaml';

/**
 * The YAML documents of one file with their positions, built only when needed: the loader
 * reads values with a fast parser and asks for the positioned documents (the `yaml`
 * library's AST) only when a problem has to be positioned inside an object.
 */
export class FileDocuments {
  private parsed: { docs: Document[]; lineCounter: LineCounter } | undefined;

  constructor(
    readonly text: string,
    parsed?: { docs: Document[]; lineCounter: LineCounter },
  ) {
    this.parsed = parsed;
  }

  /** The positioned document `index` (0-based, as the file lists them) and its line counter. */
  document(index: number): { doc: Document | undefined; lineCounter: LineCounter } {
    if (!this.parsed) {
      const lineCounter = new LineCounter();
      const docs = parseAllDocuments(this.text, { lineCounter, uniqueKeys: true });
      this.parsed = { docs: Array.isArray(docs) ? docs : [], lineCounter };
    }
    return { doc: this.parsed.docs[index], lineCounter: this.parsed.lineCounter };
  }
}

/**
 * Where each document of a plain YAML file starts (1-based line and column of its first
 * content), found by scanning for `---` lines. Returns null when the file uses anything the
 * scan does not follow (directives, `...` end markers, content after `---` on the same line);
 * the caller then takes the slow, fully positioned path.
 */
export function documentStarts(
  text: string,
): Array<{ line: number; column: number } | null> | null {
  const starts: Array<{ line: number; column: number } | null> = [];
  let current: { line: number; column: number } | null = null;
  let separators = 0;
  let sawContent = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('---')) {
      if (!/^---\s*$/.test(line)) return null;
      if (separators > 0 || sawContent) starts.push(current);
      separators++;
      current = null;
      sawContent = false;
      continue;
    }
    if (line.startsWith('...') || line.startsWith('%')) return null;
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    sawContent = true;
    if (current === null) current = { line: i + 1, column: line.length - trimmed.length + 1 };
  }
  if (separators > 0 || sawContent) starts.push(current);
  return starts;
}
