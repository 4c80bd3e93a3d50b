import {
  type Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
} from 'yaml';

/** A place in a text file, 1-based as editors and compilers print it. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Finds the YAML node at a JSON Pointer (`/spec/template/spec/containers/0/image`, as ajv's
 * `instancePath` gives it) and returns where it starts. Walks as deep as the path exists: an
 * error about a missing property points at the object that lacks it. `key: true` points at the
 * key of the last segment instead of its value (for "field not allowed" errors).
 */
export function positionOfPointer(
  doc: Document,
  lineCounter: LineCounter,
  pointer: string,
  options: { key?: boolean } = {},
): Position {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
  let node: unknown = doc.contents;
  let keyNode: unknown;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment,
      );
      if (!pair) break;
      keyNode = pair.key;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      keyNode = item;
      node = item;
    } else {
      break;
    }
  }
  const target = options.key && keyNode !== undefined ? keyNode : node;
  const offset = isNode(target) ? ((target as Node).range?.[0] ?? 0) : 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
