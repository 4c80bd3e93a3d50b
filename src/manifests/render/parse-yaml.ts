import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { type Document, isMap as isYamlMap, LineCounter, parseAllDocuments } from 'yaml';
import { positionOfPointer } from '../../util/yaml-position.js';
import { MAX_YAML_DEPTH, nestingDepthExcess } from '../nesting-depth.js';
import { aliasExcess } from '../yaml-aliases.js';
import { isMap } from './field-spec.js';
import { RenderError } from './render-error.js';

/** The documents of one YAML file, parsed as kustomize (yaml.v3) reads them. */
export interface ParsedFile {
  path: string;
  /** Values of the documents (null for empty ones). */
  values: unknown[];
  /** The positioned documents (the `yaml` library's AST), parsed on first use. */
  positioned(): { docs: Document[]; lineCounter: LineCounter };
}

/** Most alias expansions per document (billion-laughs guard). */
const MAX_ALIASES = 100;
/** Anything that may be an anchor, alias or merge key: such files take the bounded path. */
const NEEDS_FULL_PARSE = /[&*][^\s,[\]{}]|<<|[-+]\.\d|0b[01]/;

function positioned(text: string, uniqueKeys: boolean) {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys, merge: true });
  return { docs: Array.isArray(docs) ? docs : [], lineCounter };
}

/**
 * Parses a multi-document YAML file: YAML 1.2 core schema plus `<<` merge keys. `uniqueKeys`
 * false keeps the last of duplicate keys (kustomization files, as Go's decoder does). Plain
 * files are read with js-yaml (fast); positions come from the `yaml` library on demand. A file
 * nested deeper than {@link MAX_YAML_DEPTH} levels is refused before any parser sees it.
 */
export function parseYamlFile(path: string, text: string, uniqueKeys = true): ParsedFile {
  // No parser recursion on a hostile file: the depth is bounded before any parse (as loadManifests).
  const deep = nestingDepthExcess(text, MAX_YAML_DEPTH);
  if (deep)
    throw new RenderError(
      `${path}: YAML nests deeper than the limit of ${MAX_YAML_DEPTH} levels: file not parsed`,
      { file: path, line: deep.line, column: deep.column },
    );
  let cache: ReturnType<typeof positioned> | undefined;
  const lazy = () => {
    cache ??= positioned(text, uniqueKeys);
    return cache;
  };
  if (!NEEDS_FULL_PARSE.test(text)) {
    try {
      const values = loadAll(text, null, { schema: CORE_SCHEMA, json: !uniqueKeys });
      return { path, values, positioned: lazy };
    } catch {
      // fall through: the positioned parse reports the error with its place
    }
  }
  const { docs, lineCounter } = lazy();
  const values: unknown[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const pos = lineCounter.linePos(err.pos[0]);
      throw new RenderError(`${path}: YAML: ${err.message.split('\n')[0]}`, {
        file: path,
        line: pos.line,
        column: pos.col,
      });
    }
    const aliases = aliasExcess(doc);
    if (aliases) {
      const pos = lineCounter.linePos(aliases.offset);
      throw new RenderError(`${path}: YAML: ${aliases.message}`, {
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
  return { path, values, positioned: lazy };
}

/** Where the node at `pointer` of document `docIndex` is. */
export function placeOf(file: ParsedFile, docIndex: number, pointer: string) {
  const { docs, lineCounter } = file.positioned();
  const doc = docs[docIndex];
  if (!doc) return { file: file.path, line: 1, column: 1 };
  const at = positionOfPointer(doc, lineCounter, pointer);
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
    if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
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

export { isYamlMap };
