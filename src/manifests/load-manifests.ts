import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { type Document, isMap, LineCounter, parseAllDocuments } from 'yaml';
import type { SourceFile } from '../source/index.js';
import { type Position, positionOfPointer } from '../util/yaml-position.js';
import { documentStarts, FileDocuments } from './file-documents.js';
import { isNamespaced } from './kinds.js';
import { compileLoadOptions, type LoadOptions } from './load-options.js';
import type { ManifestObject } from './manifest-object.js';
import { nestingDepthExcess } from './nesting-depth.js';
import type { Problem, ProblemCode } from './problem.js';
import { kustomizationRoot, loadKustomization } from './render/load-kustomization.js';
import type { RepositoryView } from './render/repository-view.js';
import { resolveSymlink } from './resolve-symlinks.js';
import { aliasExcess } from './yaml-aliases.js';

/** What loading a revision produced: the objects in file order, and every problem met. */
export interface LoadResult {
  objects: ManifestObject[];
  problems: Problem[];
  /** Manifest files read. */
  files: number;
}

const MANIFEST = /\.(ya?ml|json)$/i;
const KUSTOMIZE = /^(kustomization\.ya?ml|Kustomization)$/;

/** True for the files the loader reads: `*.yaml`, `*.yml`, `*.json`, outside dot-directories. */
export function isManifestPath(p: string): boolean {
  return MANIFEST.test(p) && !p.split('/').some((segment) => segment.startsWith('.'));
}

/**
 * Reads every manifest of a revision (`*.yaml`, `*.yml`, `*.json`, recursive, sorted,
 * dot-files skipped), multi-document, expanding `kind: List`, and keeps the YAML documents
 * so every later problem can name `file:line:col`. Bad input (too large, not UTF-8, duplicate
 * keys, alias bombs, symlinks leaving the source, Kustomize) becomes problems, never a crash.
 */
export function loadManifests(
  files: readonly SourceFile[],
  options: LoadOptions = {},
  repository?: RepositoryView,
): LoadResult {
  const opts = compileLoadOptions(options);
  const root = kustomizationRoot(files);
  if (root !== undefined) {
    const built = loadKustomization(files, root, { maxFileBytes: opts.maxFileBytes }, repository);
    return { ...built, files: files.length };
  }
  const problems: Problem[] = [];
  const objects: ManifestObject[] = [];
  const fileProblem = (
    file: string,
    code: ProblemCode,
    message: string,
    line = 1,
    column = 1,
    severity: 'error' | 'warning' = 'error',
  ) =>
    problems.push({
      file,
      line,
      column,
      severity,
      kind: '',
      namespace: '',
      name: '',
      path: '',
      message,
      code,
    });

  const byPath = new Map(files.map((f) => [f.path, f]));
  const candidates = files
    .filter((f) => !f.path.split('/').some((s) => s.startsWith('.')))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let totalBytes = 0;
  let documents = 0;
  let read = 0;
  for (const source of candidates) {
    const base = source.path.slice(source.path.lastIndexOf('/') + 1);
    if (KUSTOMIZE.test(base)) {
      fileProblem(
        source.path,
        'kustomize',
        'a kustomization below the root of the source path is not built: point the source path (or `berth validate DIR`) at its directory',
      );
      continue;
    }
    if (!MANIFEST.test(base)) continue;
    let content = source.content;
    if (source.mode === 'symlink') {
      const resolved = resolveSymlink(source, byPath);
      if ('error' in resolved) {
        fileProblem(source.path, 'symlink', resolved.error, 1, 1, resolved.severity);
        continue;
      }
      if (resolved.linkedFrom && isManifestPath(resolved.linkedFrom)) continue; // read under its own path
      content = resolved.content;
    }
    if (content.byteLength > opts.maxFileBytes) {
      fileProblem(
        source.path,
        'limit',
        `file is larger than the limit of ${opts.maxFileBytes} bytes`,
      );
      continue;
    }
    totalBytes += content.byteLength;
    if (totalBytes > opts.maxTotalBytes) {
      fileProblem(
        source.path,
        'limit',
        `the manifests exceed the limit of ${opts.maxTotalBytes} bytes in total: stopped reading here`,
      );
      break;
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch {
      fileProblem(source.path, 'file', 'not UTF-8 text: manifests must be encoded in UTF-8');
      continue;
    }
    read++;
    // No parser recursion on a hostile file: the depth is bounded before any parse.
    const deep = nestingDepthExcess(text, opts.maxDepth);
    if (deep) {
      fileProblem(
        source.path,
        'limit',
        `YAML nests deeper than the limit of ${opts.maxDepth} levels: file not parsed`,
        deep.line,
        deep.column,
      );
      continue;
    }
    const fast = readFast(text);
    if (fast) {
      const fileDocs = new FileDocuments(text);
      for (const [docIndex, { value, start }] of fast.entries()) {
        if (value === null || value === undefined) continue;
        if (++documents > opts.maxDocuments) break;
        const object = toObject(source.path, fileDocs, docIndex, '', value, start, fileProblem);
        if (object) objects.push(object);
      }
    } else {
      const lineCounter = new LineCounter();
      const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true });
      const list = Array.isArray(docs) ? docs : [];
      const fileDocs = new FileDocuments(text, { docs: list, lineCounter });
      for (const [docIndex, doc] of list.entries()) {
        if (doc.errors.length > 0) {
          for (const err of doc.errors) {
            const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
            fileProblem(
              source.path,
              'yaml',
              `YAML: ${err.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
              pos.line,
              pos.col,
            );
          }
          continue;
        }
        if (doc.contents === null) continue;
        const aliases = aliasExcess(doc);
        if (aliases) {
          const pos = lineCounter.linePos(aliases.offset);
          fileProblem(source.path, 'limit', `YAML: ${aliases.message}`, pos.line, pos.col);
          continue;
        }
        let value: unknown;
        try {
          value = doc.toJS({ maxAliasCount: opts.maxAliasCount });
        } catch (err) {
          const pos = lineCounter.linePos(doc.contents?.range?.[0] ?? 0);
          fileProblem(
            source.path,
            'limit',
            `YAML: ${(err as Error).message} (more than ${opts.maxAliasCount} alias expansions)`,
            pos.line,
            pos.col,
          );
          continue;
        }
        if (value === null || value === undefined) continue;
        for (const { base: pointer, value: item } of expandList(doc, value)) {
          if (++documents > opts.maxDocuments) break;
          const at = positionOfPointer(doc, lineCounter, pointer);
          const object = toObject(source.path, fileDocs, docIndex, pointer, item, at, fileProblem);
          if (object) objects.push(object);
        }
        if (documents > opts.maxDocuments) break;
      }
    }
    if (documents > opts.maxDocuments) {
      fileProblem(
        source.path,
        'limit',
        `more than ${opts.maxDocuments} documents in the revision: stopped reading here`,
      );
      break;
    }
  }
  return { objects, problems, files: read };
}

function expandList(doc: Document, value: unknown): Array<{ base: string; value: unknown }> {
  if (
    isPlainObject(value) &&
    value.kind === 'List' &&
    Array.isArray(value.items) &&
    isMap(doc.contents)
  ) {
    return value.items.map((item, i) => ({ base: `/items/${i}`, value: item }));
  }
  return [{ base: '', value }];
}

function toObject(
  file: string,
  documents: FileDocuments,
  docIndex: number,
  base: string,
  value: unknown,
  at: Position,
  report: (file: string, code: ProblemCode, message: string, line: number, column: number) => void,
): ManifestObject | null {
  if (!isPlainObject(value)) {
    report(
      file,
      'missing-type',
      'a manifest must be a mapping with apiVersion and kind',
      at.line,
      at.column,
    );
    return null;
  }
  const { apiVersion, kind } = value;
  if (typeof kind !== 'string' || kind === '') {
    report(
      file,
      'missing-type',
      "missing 'kind': every manifest needs apiVersion and kind",
      at.line,
      at.column,
    );
    return null;
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    report(
      file,
      'missing-type',
      `${kind}: missing 'apiVersion': every manifest needs apiVersion and kind`,
      at.line,
      at.column,
    );
    return null;
  }
  const metadata = isPlainObject(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const ns =
    typeof metadata.namespace === 'string' && metadata.namespace !== ''
      ? metadata.namespace
      : 'default';
  return {
    file,
    documents,
    docIndex,
    base,
    value,
    apiVersion,
    kind,
    namespace: isNamespaced(apiVersion, kind) ? ns : '',
    name,
    position: at,
  };
}

/** True for a plain object (a YAML mapping), not an array or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Scalars js-yaml reads differently from the `yaml` library (`-.5`, `0b11`): positioned path. */
const PARSERS_DIFFER = /[-+]\.\d|0b[01]/;
/** Anything that may be an anchor or alias: such files take the bounded, positioned path. */
const MAYBE_ALIAS = /[&*][^\s,[\]{}]/;

/**
 * The fast path for plain files (no anchors or aliases, no `kind: List`, no parse error):
 * values from js-yaml (YAML 1.2 core schema, duplicate keys rejected) and document starts
 * from a line scan. Returns null whenever the file needs the full, positioned parse.
 */
function readFast(text: string): Array<{ value: unknown; start: Position }> | null {
  if (MAYBE_ALIAS.test(text) || PARSERS_DIFFER.test(text)) return null;
  const starts = documentStarts(text);
  if (!starts) return null;
  let values: unknown[];
  try {
    values = loadAll(text.replace(/^\uFEFF/, ''), null, { schema: CORE_SCHEMA });
  } catch {
    return null;
  }
  if (values.length !== starts.length) return null;
  const out: Array<{ value: unknown; start: Position }> = [];
  for (const [i, value] of values.entries()) {
    const start = starts[i];
    if (value !== null && value !== undefined && !start) return null;
    if (isPlainObject(value) && value.kind === 'List') return null;
    out.push({ value, start: start ?? { line: 1, column: 1 } });
  }
  return out;
}
