import { type Document, isMap as isYamlMap, LineCounter, parseAllDocuments } from 'yaml';
import { positionOfPointer } from '../../util/yaml-position.js';
import { isMap } from './field-spec.js';
import { RenderError } from './render-error.js';

/** The documents of one YAML file, parsed as kustomize (yaml.v3) reads them. */
export interface ParsedFile {
  path: string;
  docs: Document[];
  lineCounter: LineCounter;
  values: unknown[];
}

/** Most alias expansions per document (billion-laughs guard). */
const MAX_ALIASES = 100;

/**
 * Parses a multi-document YAML file: YAML 1.2 core schema plus `<<` merge keys. `uniqueKeys`
 * false keeps the last of duplicate keys (kustomization files, as Go's decoder does).
 */
export function parseYamlFile(path: string, text: string, uniqueKeys = true): ParsedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys, merge: true });
  const list = Array.isArray(docs) ? docs : [];
  const values: unknown[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const pos = lineCounter.linePos(err.pos[0]);
      throw new RenderError(`${path}: YAML: ${err.message.split('\n')[0]}`, {
        file: path,
        line: pos.line,
        column: pos.col,
      });
    }
    try {
      values.push(doc.toJS({ maxAliasCount: MAX_ALIASES }));
    } catch (e) {
      throw new RenderError(`${path}: YAML: ${(e as Error).message}`, {
        file: path,
        line: 1,
        column: 1,
      });
    }
  }
  return { path, docs: list, lineCounter, values };
}

/** Where the node at `pointer` of document `docIndex` is. */
export function placeOf(file: ParsedFile, docIndex: number, pointer: string) {
  const doc = file.docs[docIndex];
  if (!doc) return { file: file.path, line: 1, column: 1 };
  const at = positionOfPointer(doc, file.lineCounter, pointer);
  return { file: file.path, line: at.line, column: at.column };
}

/** The objects of a resource file: each document, `kind: List` expanded into its items. */
export function objectsOf(
  file: ParsedFile,
): Array<{ value: Record<string, unknown>; docIndex: number; pointer: string }> {
  const out: Array<{ value: Record<string, unknown>; docIndex: number; pointer: string }> = [];
  file.values.forEach((v, docIndex) => {
    if (v === null || v === undefined) return;
    if (!isMap(v)) {
      const p = placeOf(file, docIndex, '');
      throw new RenderError(`${file.path}:${p.line}:${p.column}: a resource must be a mapping`, p);
    }
    if (
      typeof v.kind === 'string' &&
      v.kind.endsWith('List') &&
      Array.isArray(v.items) &&
      isYamlMap(file.docs[docIndex]?.contents)
    ) {
      v.items.forEach((item, i) => {
        if (isMap(item)) out.push({ value: item, docIndex, pointer: `/items/${i}` });
      });
      return;
    }
    if (Object.keys(v).length === 0) return;
    out.push({ value: v, docIndex, pointer: '' });
  });
  return out;
}
