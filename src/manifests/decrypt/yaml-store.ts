import { FAILSAFE_SCHEMA, load } from 'js-yaml';
import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Node,
  Parser,
  parseAllDocuments,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { resolveScalar } from './go-yaml-scalar.js';
import type { DecryptedTree, OpenedSopsFile, TypedTree } from './opened-file.js';
import { type SopsBlocks, splitSopsBlocks } from './sops-block.js';
import { SopsError } from './sops-error.js';
import { isRecord, readMetadata } from './sops-metadata.js';
import { type At, SopsTreeDecrypter } from './sops-tree.js';
import { yamlText } from './sops-value.js';

/** Bounds of the walk over an untrusted file. */
const MAX_DEPTH = 200;
const MAX_ALIASES = 100;

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Parses a YAML (or JSON: the same parser, the same typing of values) SOPS file as sops's
 * YAML store does: one or more documents, each a mapping with string keys; the `sops` key
 * of the first document is the metadata and is dropped from every document. Returns null
 * when the first document has no top-level `sops` mapping.
 */
export function openYamlFile(text: string): OpenedSopsFile | null {
  // Positions are needed only for errors: counted from the offset then.
  const pos = (offset: number): At => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
  };
  const split = splitSopsBlocks(text);
  if (split) {
    const opened = openSplit(split, pos);
    if (opened !== undefined) return opened;
  }
  const list = parseDocuments(text);
  const first = list[0];
  const firstSops = first && isMap(first.contents) ? sopsPair(first.contents) : undefined;
  if (!firstSops || !isMap(firstSops.value)) return null;
  // A sops block is known by its MAC or version (a file whose `mac` was removed is still one,
  // and fails for it).
  if (!sopsPair(firstSops.value, 'mac') && !sopsPair(firstSops.value, 'version')) return null;
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) throw new SopsError('format', `YAML: ${err.message.split('\n')[0]}`, pos(err.pos[0]));
  }
  const sopsNode = firstSops.value as YAMLMap;
  const metadataOffset = firstSops.key.range?.[0] ?? 0;
  const fieldAt = (field: string): At => {
    const p = field === '' ? undefined : sopsPair(sopsNode, field);
    return pos(p?.key.range?.[0] ?? metadataOffset);
  };
  const metadata = readMetadata(sopsNode.toJS(first as Document), fieldAt);
  return {
    metadata,
    get metadataAt() {
      return pos(metadataOffset);
    },
    decrypt: (key) =>
      decryptDocuments(text, list, new SopsTreeDecrypter(metadata, key), pos, () => fieldAt('mac')),
  };
}

function parseDocuments(text: string): Document[] {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: true });
  return Array.isArray(docs) ? docs : [docs as unknown as Document];
}

/**
 * The common layout (block style, `sops:` at column 0): the metadata read with the fast
 * reader, the body parsed without it (half the text). Undefined when the block does not read
 * as a mapping: the whole file then takes the general path.
 */
function openSplit(
  split: SopsBlocks,
  pos: (offset: number) => At,
): OpenedSopsFile | null | undefined {
  let raw: unknown;
  try {
    raw = load(split.first.text, { schema: FAILSAFE_SCHEMA });
  } catch {
    return undefined;
  }
  const sops = isRecord(raw) ? raw.sops : undefined;
  if (!isRecord(sops)) return undefined;
  if (!('mac' in sops) && !('version' in sops)) return null;
  const fieldAt = (field: string): At => {
    const m = field === '' ? null : new RegExp(`^\\s+${field}\\s*:`, 'm').exec(split.first.text);
    return pos(
      split.first.start + (m?.index ?? 0) + (m ? m[0].length - m[0].trimStart().length : 0),
    );
  };
  const metadata = readMetadata(sops, fieldAt);
  const list = parseDocuments(split.body);
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) throw new SopsError('format', `YAML: ${err.message.split('\n')[0]}`, pos(err.pos[0]));
  }
  return {
    metadata,
    get metadataAt() {
      return pos(split.first.start);
    },
    decrypt: (key) =>
      decryptDocuments(split.body, list, new SopsTreeDecrypter(metadata, key), pos, () =>
        fieldAt('mac'),
      ),
  };
}

function sopsPair(map: YAMLMap, name = 'sops') {
  for (const pair of map.items) {
    if (isScalar(pair.key) && pair.key.value === name) return pair as typeof pair & { key: Scalar };
  }
  return undefined;
}

function decryptDocuments(
  text: string,
  docs: readonly Document[],
  tree: SopsTreeDecrypter,
  pos: (offset: number) => At,
  macAt: () => At,
): DecryptedTree {
  const edits: Edit[] = [];
  const replaced = new Set<Node>();
  const collections: Array<{ path: string[]; start: number }> = [{ path: [], start: 0 }];
  const documents: TypedTree[] = [];

  for (const doc of docs) {
    let aliases = 0;
    const walk = (node: unknown, path: string[], depth: number): TypedTree => {
      if (depth > MAX_DEPTH)
        throw new SopsError('limit', `the file nests deeper than ${MAX_DEPTH} levels`, at(node));
      if (node === null || node === undefined) return null;
      if (isAlias(node)) {
        if (++aliases > MAX_ALIASES)
          throw new SopsError('limit', `more than ${MAX_ALIASES} alias expansions`, at(node));
        const target = node.resolve(doc);
        if (!target) throw new SopsError('format', `unknown alias *${node.source}`, at(node));
        return walk(target, path, depth + 1);
      }
      if (isMap(node)) {
        collections.push({ path, start: node.range?.[0] ?? 0 });
        const out: { [key: string]: TypedTree } = {};
        for (const pair of node.items) {
          const key = keyOf(pair.key, doc);
          if (depth === 0 && key === 'sops') {
            edits.push(blank(text, node, pair));
            continue;
          }
          out[key] = walk(pair.value, [...path, key], depth + 1);
        }
        return out;
      }
      if (isSeq(node)) {
        collections.push({ path, start: node.range?.[0] ?? 0 });
        return node.items.map((item) => walk(item, path, depth + 1));
      }
      if (isScalar(node)) {
        if (depth === 0) {
          const r = resolveScalar(String(node.value), node.type === 'PLAIN', node.tag);
          if ('null' in r) return {};
          throw new SopsError('format', 'a YAML document must be a mapping, not a value', at(node));
        }
        const r = resolveScalar(String(node.value), node.type === 'PLAIN', node.tag);
        if ('null' in r) return null;
        if ('error' in r) throw new SopsError('format', `YAML: ${r.error}`, at(node));
        const value = tree.leaf(path, r.value, at(node));
        if (value !== r.value && !replaced.has(node) && node.range) {
          replaced.add(node);
          edits.push({
            start: node.range[0],
            end: node.range[1],
            text: newlinesKept(text, node.range[0], node.range[1], yamlText(value)),
          });
        }
        return value;
      }
      throw new SopsError('format', 'unsupported YAML node', at(node));
    };
    const root = doc.contents;
    if (isSeq(root))
      throw new SopsError(
        'format',
        'YAML documents that are sequences are not supported by sops',
        at(root),
      );
    documents.push(walk(root, [], 0) ?? {});
  }
  const mac = tree.verifyMac(macAt);

  // Encrypted comments (`#ENC[…]`): found on the concrete syntax tree, so a `#` inside a
  // block scalar is never taken for one.
  const comments: DecryptedTree['comments'] = [];
  if (text.includes('#ENC[')) {
    for (const { offset, source } of commentTokens(text)) {
      if (!source.startsWith('#ENC[')) continue;
      const candidates = collections
        .filter((c) => c.start <= offset)
        .sort((a, b) => b.start - a.start)
        .map((c) => c.path);
      const opened = tree.comment(source.slice(1), dedupe(candidates).slice(0, 32));
      if (!opened) continue;
      comments.push(opened);
      edits.push({
        start: offset,
        end: offset + source.length,
        text: `#${opened.plaintext.replace(/[\r\n]/g, ' ')}`,
      });
    }
  }
  return {
    content: Buffer.from(applyEdits(text, edits), 'utf8'),
    mac,
    leaves: { ...tree.leaves },
    comments,
    documents,
  };

  function at(node: unknown): At {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return pos(range?.[0] ?? 0);
  }

  function keyOf(key: unknown, doc: Document): string {
    let node = key;
    if (isAlias(node)) node = node.resolve(doc);
    if (isScalar(node)) {
      const r = resolveScalar(String(node.value), node.type === 'PLAIN', node.tag);
      if ('value' in r && r.value.type === 'str') return r.value.value;
    }
    throw new SopsError(
      'format',
      'sops supports only string keys (a key here is not a string)',
      at(key),
    );
  }
}

function dedupe(paths: string[][]): string[][] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const k = p.join('\u0000');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Keeps the line count of a replaced range (a multi-line scalar): later positions stay put. */
function newlinesKept(text: string, start: number, end: number, replacement: string): string {
  const lines = text.slice(start, end).split('\n').length - 1;
  return replacement + '\n'.repeat(lines);
}

/**
 * The edit that removes the `sops` entry from a mapping, replacing it with spaces (line
 * breaks kept, so positions after it do not move). In a flow mapping (JSON) the comma that
 * separated it from a neighbour goes too.
 */
function blank(text: string, map: YAMLMap, pair: { key: unknown; value: unknown }): Edit {
  const range = (n: unknown) =>
    (n as { range?: [number, number, number] }).range as [number, number, number];
  const index = map.items.indexOf(pair as never);
  let start = range(pair.key)[0];
  let end = map.flow ? range(pair.value)[1] : range(pair.value)[2];
  if (map.flow) {
    const prev = map.items[index - 1];
    const next = map.items[index + 1];
    if (prev) start = range(prev.value ?? prev.key)[1];
    else if (next) end = range(next.key)[0];
  }
  const spaced = text.slice(start, end).replace(/[^\n]/g, ' ');
  return { start, end, text: spaced };
}

function applyEdits(text: string, edits: Edit[]): string {
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let cursor = 0;
  for (const e of edits) {
    if (e.start < cursor) continue;
    out += text.slice(cursor, e.start) + e.text;
    cursor = e.end;
  }
  return out + text.slice(cursor);
}

/** Every comment token of the file, with its offset. */
function commentTokens(text: string): Array<{ offset: number; source: string }> {
  const found: Array<{ offset: number; source: string }> = [];
  const visit = (token: unknown): void => {
    if (Array.isArray(token)) {
      for (const t of token) visit(t);
      return;
    }
    if (!isRecord(token)) return;
    if (
      token.type === 'comment' &&
      typeof token.source === 'string' &&
      typeof token.offset === 'number'
    ) {
      found.push({ offset: token.offset, source: token.source });
      return;
    }
    for (const value of Object.values(token)) if (typeof value === 'object') visit(value);
  };
  for (const token of new Parser().parse(text)) visit(token);
  return found;
}
