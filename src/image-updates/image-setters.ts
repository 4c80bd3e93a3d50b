import path from 'node:path';
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
  parse as parseYaml,
  type Scalar,
  visit,
} from 'yaml';
import { type ImageReference, parseImageReference } from '../images/index.js';
import { MAX_YAML_DEPTH, nestingDepthExcess } from '../manifests/index.js';
import { POD_TEMPLATE_PATHS } from '../manifests/pod-template.js';

/** One image to set: its repository and the tag it moves to. */
export interface ImageTarget {
  /** The update's name: what `$imagepolicy` markers name (`<ns>:<name>`, `<ns>:<name>:tag`). */
  name: string;
  /** The repository as configured (`registry/repo`): what a marker's full value and `:name` write. */
  image: string;
  tag: string;
}

/** A field that was changed. */
export interface ImageChange {
  file: string;
  /** 1-based line of the value. */
  line: number;
  /** `Deployment/web`, `Kustomization`, or `(marker)` for a field set through a marker. */
  object: string;
  /** What set it: `container web`, `initContainer migrate`, `images[0].newTag`, `$imagepolicy ns:web:tag`. */
  field: string;
  old: string;
  new: string;
  /** The tag the field named before; undefined for a `:name` marker (no tag there). */
  oldTag?: string;
}

/** The outcome of {@link setImages}: the new text (unchanged when nothing matched) and the changes. */
export interface SetResult {
  text: string;
  changes: ImageChange[];
  /** Fields that matched but could not be edited in place (a block scalar), with why. */
  skipped: string[];
}

const MARKER = /\{\s*"\$imagepolicy"\s*:\s*"([^"]+)"\s*\}/;

interface Edit {
  start: number;
  end: number;
  replacement: string;
  change: Omit<ImageChange, 'file' | 'line'>;
}

/**
 * Sets the tags of `targets` in one YAML file (every document of it), as Flux's image
 * automation does, changing only the scalars concerned — formatting, comments, quoting and key
 * order stay as they were:
 *
 * - a field marked with a trailing comment `# {"$imagepolicy": "<ns>:<name>"}` becomes
 *   `<image>:<tag>`; with `:tag` it becomes the tag, with `:name` the image (`<ns>:` is
 *   optional; the namespace is not compared: Berth's updates belong to the source);
 * - otherwise, the `image` of every container and initContainer (any kind with a pod template)
 *   whose repository is a target's gets the new tag, keeping how the repository is written;
 * - in a Kustomization, an `images[]` entry whose `newName` (else `name`) is a target's
 *   repository gets its `newTag` set.
 *
 * Images pinned by a digest are left alone (a digest is an explicit pin).
 */
export function setImages(file: string, text: string, targets: readonly ImageTarget[]): SetResult {
  // A repository file nested too deep is not parsed at all (the parsers' recursion aborts V8).
  const deep = nestingDepthExcess(text, MAX_YAML_DEPTH);
  if (deep)
    return {
      text,
      changes: [],
      skipped: [
        `YAML nests deeper than the limit of ${MAX_YAML_DEPTH} levels at line ${deep.line}, column ${deep.column}: file not edited`,
      ],
    };
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  if (!Array.isArray(docs)) return { text, changes: [], skipped: [] };
  const wanted = targets
    .map((t) => ({ target: t, ref: parseImageReference(t.image) }))
    .filter((t): t is { target: ImageTarget; ref: ImageReference } => t.ref !== undefined);
  const edits: Edit[] = [];
  const skipped: string[] = [];
  const marked = new Set<Node>();
  for (const doc of docs) {
    if (doc.errors.length > 0) continue;
    markerEdits(doc, text, targets, edits, skipped, marked);
    containerEdits(doc, text, wanted, edits, skipped, marked);
    kustomizeEdits(doc, file, text, wanted, edits, skipped, marked);
  }
  if (edits.length === 0) return { text, changes: [], skipped };
  edits.sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.replacement + out.slice(e.end);
  const changes = edits
    .map((e) => ({ file, line: lineCounter.linePos(e.start).line, ...e.change }))
    .sort((a, b) => a.line - b.line);
  return { text: out, changes, skipped };
}

/** Flux's setter names: `<name>`, `<ns>:<name>`, each optionally `:tag` or `:name`. */
export function parseMarker(
  value: string,
  names: ReadonlySet<string>,
): { name: string; part: 'image' | 'tag' | 'name' } | undefined {
  const parts = value.split(':');
  const suffix = parts.at(-1);
  const part = suffix === 'tag' || suffix === 'name' ? suffix : 'image';
  const base = part === 'image' ? parts : parts.slice(0, -1);
  if (base.length === 0 || base.length > 2) return undefined;
  const name = base.at(-1) as string;
  if (names.has(name)) return { name, part };
  // `<ns>:tag` where `tag` is itself an update's name.
  if (part !== 'image' && parts.length === 2 && names.has(suffix as string))
    return { name: suffix as string, part: 'image' };
  return undefined;
}

function markerEdits(
  doc: Document,
  text: string,
  targets: readonly ImageTarget[],
  edits: Edit[],
  skipped: string[],
  marked: Set<Node>,
): void {
  const byName = new Map(targets.map((t) => [t.name, t]));
  const names = new Set(byName.keys());
  visit(doc, {
    Scalar(key, node) {
      if (key === 'key' || !node.comment) return;
      const m = MARKER.exec(node.comment);
      if (!m) return;
      const marker = parseMarker(m[1] as string, names);
      if (!marker) return;
      marked.add(node);
      const target = byName.get(marker.name) as ImageTarget;
      const old = scalarText(node, text);
      if (old === undefined) return;
      let next: string;
      if (marker.part === 'tag') next = target.tag;
      else if (marker.part === 'name') next = target.image;
      else next = `${target.image}:${target.tag}`;
      if (old === next) return;
      const oldTag =
        marker.part === 'tag'
          ? old
          : marker.part === 'image'
            ? (parseImageReference(old)?.tag ?? 'latest')
            : undefined;
      pushEdit(edits, skipped, node, next, {
        object: '(marker)',
        field: `$imagepolicy ${m[1]}`,
        old,
        new: next,
        ...(oldTag !== undefined ? { oldTag } : {}),
      });
    },
  });
}

function containerEdits(
  doc: Document,
  text: string,
  wanted: ReadonlyArray<{ target: ImageTarget; ref: ImageReference }>,
  edits: Edit[],
  skipped: string[],
  marked: Set<Node>,
): void {
  const kind = str(getIn(doc.contents, ['kind']));
  const template = kind ? POD_TEMPLATE_PATHS[kind] : undefined;
  if (!template) return;
  const spec = getIn(doc.contents, [...template, 'spec']);
  const name = str(getIn(doc.contents, ['metadata', 'name'])) ?? '';
  for (const list of ['initContainers', 'containers'] as const) {
    const seq = getIn(spec, [list]);
    if (!isSeq(seq)) continue;
    for (const item of seq.items) {
      const image = getIn(item, ['image']);
      if (!isScalar(image) || marked.has(image as Node)) continue;
      const old = scalarText(image, text);
      const ref = old === undefined ? undefined : parseImageReference(old);
      if (!ref || ref.digest) continue;
      const match = wanted.find(
        (w) => w.ref.registry === ref.registry && w.ref.repository === ref.repository,
      );
      if (!match || ref.tag === match.target.tag) continue;
      const repo =
        ref.tag === undefined ? (old as string) : (old as string).slice(0, -(ref.tag.length + 1));
      const next = `${repo}:${match.target.tag}`;
      const container = str(getIn(item, ['name'])) ?? '';
      pushEdit(edits, skipped, image, next, {
        object: `${kind}/${name}`,
        field: `${list === 'containers' ? 'container' : 'initContainer'} ${container}`,
        old: old as string,
        new: next,
        oldTag: ref.tag ?? 'latest',
      });
    }
  }
}

function kustomizeEdits(
  doc: Document,
  file: string,
  text: string,
  wanted: ReadonlyArray<{ target: ImageTarget; ref: ImageReference }>,
  edits: Edit[],
  skipped: string[],
  marked: Set<Node>,
): void {
  const kind = str(getIn(doc.contents, ['kind']));
  const isKustomization =
    kind === 'Kustomization' ||
    (kind === undefined &&
      ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].includes(path.basename(file)));
  if (!isKustomization) return;
  const images = getIn(doc.contents, ['images']);
  if (!isSeq(images)) return;
  images.items.forEach((entry, i) => {
    if (!isMap(entry) || getIn(entry, ['digest']) !== undefined) return;
    const repo = str(getIn(entry, ['newName'])) ?? str(getIn(entry, ['name']));
    const ref = repo ? parseImageReference(repo) : undefined;
    if (!ref) return;
    const match = wanted.find(
      (w) => w.ref.registry === ref.registry && w.ref.repository === ref.repository,
    );
    const tag = getIn(entry, ['newTag']);
    if (!match || !isScalar(tag) || marked.has(tag as Node)) return;
    const old = scalarText(tag, text);
    if (old === undefined || old === match.target.tag) return;
    pushEdit(edits, skipped, tag, match.target.tag, {
      object: 'Kustomization',
      field: `images[${i}].newTag (${repo})`,
      old,
      new: match.target.tag,
      oldTag: old,
    });
  });
}

function pushEdit(
  edits: Edit[],
  skipped: string[],
  node: Scalar,
  value: string,
  change: Edit['change'],
): void {
  const range = node.range;
  if (!range) return;
  const replacement = scalarSource(node, value);
  if (replacement === undefined) {
    skipped.push(`${change.object} ${change.field}: a ${node.type} scalar is not edited in place`);
    return;
  }
  if (edits.some((e) => e.start === range[0])) return;
  edits.push({ start: range[0], end: range[1], replacement, change });
}

/** The scalar's value as written (a plain `1.10` stays `1.10`, not the number 1.1). */
function scalarText(node: Scalar, text: string): string | undefined {
  if (!node.range) return undefined;
  if (node.type === 'PLAIN') return text.slice(node.range[0], node.range[1]);
  return typeof node.value === 'string' ? node.value : undefined;
}

/** The source of `value` in the scalar's own style; undefined for block scalars. */
function scalarSource(node: Scalar, value: string): string | undefined {
  switch (node.type) {
    case 'QUOTE_DOUBLE':
      return JSON.stringify(value);
    case 'QUOTE_SINGLE':
      return `'${value.replace(/'/g, "''")}'`;
    case 'PLAIN':
      return plainSafe(value) ? value : JSON.stringify(value);
    default:
      return undefined;
  }
}

/** Whether `value` written plain reads back as the same string (`1.10` would read as a number). */
function plainSafe(value: string): boolean {
  if (value === '' || /[#\n]|:\s|^[\s\-?:,[\]{}&*!|>'"%@`]|\s$/.test(value)) return false;
  try {
    return parseYaml(`v: ${value}`, { version: '1.2' })?.v === value;
  } catch {
    return false;
  }
}

/** The node at a path of map keys, or undefined. */
function getIn(node: unknown, keys: readonly string[]): unknown {
  let current = node;
  for (const key of keys) {
    if (!isMap(current)) return undefined;
    const pair = current.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
    current = pair?.value ?? undefined;
  }
  return current ?? undefined;
}

function str(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}
