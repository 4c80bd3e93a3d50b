/** Deepest nesting of collections Berth parses in a repository file (as js-yaml's default). */
export const MAX_YAML_DEPTH = 100;

/** Where a YAML or JSON text first nests deeper than allowed (1-based line and column). */
export interface DepthExcess {
  line: number;
  column: number;
  depth: number;
}

/**
 * Finds the first place a YAML (or JSON) text nests collections more than `max` levels deep,
 * in one linear pass over the characters and with no recursion, so that no parser ever
 * recurses on a hostile file (1,000 nested flow sequences abort V8 inside the parsers). Block
 * nesting is counted from indentation and `- `/`? ` markers, flow nesting from `[`/`{` that
 * start a collection; quoted scalars, comments and block scalars (`|`, `>`) are skipped. The
 * count is a bound for the parsers' recursion, not a YAML parser: it may count one level more
 * than the data holds (a key and its value), never fewer.
 */
export function nestingDepthExcess(text: string, max: number): DepthExcess | undefined {
  const indents: number[] = []; // block collections open on earlier lines, by indentation
  let flow = 0; // open flow collections
  let quote: '"' | "'" | undefined; // inside a quoted scalar (may span lines)
  let blockScalarIndent: number | undefined; // inside a `|`/`>` scalar: lines indented deeper
  let line = 0;
  let pos = 0;
  while (pos <= text.length) {
    line++;
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    let i = pos;
    let indent = 0;
    while (i < end && text[i] === ' ') i++;
    indent = i - pos;
    const blank = i >= end || text[i] === '#' || text[i] === '\r';
    if (blockScalarIndent !== undefined) {
      if (blank || indent > blockScalarIndent) {
        pos = end + 1;
        continue;
      }
      blockScalarIndent = undefined;
    }
    if (!quote && flow === 0 && !blank) {
      if (text.startsWith('---', i) || text.startsWith('...', i)) indents.length = 0;
      while (indents.length > 0 && (indents.at(-1) as number) >= indent) indents.pop();
      indents.push(indent);
      // Compact nesting on one line: `- - - x`, `? - x`.
      while (
        (text[i] === '-' || text[i] === '?') &&
        (text[i + 1] === ' ' || i + 1 === end) &&
        !text.startsWith('---', i)
      ) {
        i++;
        while (i < end && text[i] === ' ') i++;
        indents.push(i - pos);
        if (indents.length + flow > max)
          return { line, column: i - pos + 1, depth: indents.length };
      }
    }
    if (indents.length + flow > max) return { line, column: i - pos + 1, depth: indents.length };
    let prev = ' '; // last significant character before i on this line
    let plain = false; // inside a plain (unquoted) scalar
    for (; i < end; i++) {
      const c = text[i] as string;
      if (quote) {
        if (quote === '"' && c === '\\') i++;
        else if (c === quote) {
          if (quote === "'" && text[i + 1] === "'") i++;
          else quote = undefined;
        }
        prev = 'x';
        continue;
      }
      const next = text[i + 1];
      const spaceAfter = next === undefined || next === ' ' || next === '\n' || next === '\r';
      if (c === ' ' || c === '\t' || c === '\r') {
        prev = ' ';
        continue;
      }
      if (c === '#' && prev === ' ') break;
      if (plain) {
        // A plain scalar ends at ": " (block and flow) or at a flow indicator inside flow.
        if (c === ':' && (spaceAfter || (flow > 0 && '[{"\''.includes(next as string))))
          plain = false;
        else if (flow > 0 && (c === ',' || c === ']' || c === '}')) plain = false;
        else {
          prev = c;
          continue;
        }
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === '[' || c === '{') {
        flow++;
        if (indents.length + flow > max)
          return { line, column: i - pos + 1, depth: indents.length + flow };
      } else if (c === ']' || c === '}') {
        if (flow > 0) flow--;
      } else if ((c === '|' || c === '>') && flow === 0) {
        // A block scalar header: its content is text, not structure.
        const rest = text
          .slice(i + 1, end)
          .replace(/\s+#.*$/, '')
          .trim();
        if (/^[-+0-9]*$/.test(rest)) {
          blockScalarIndent = indent;
          break;
        }
        plain = true;
      } else if (
        c === ',' ||
        (c === ':' && (spaceAfter || flow > 0)) ||
        ((c === '-' || c === '?') && spaceAfter)
      ) {
        // indicators
      } else plain = true;
      prev = c;
    }
    pos = end + 1;
  }
  return undefined;
}
