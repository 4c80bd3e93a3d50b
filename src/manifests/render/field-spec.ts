import { RenderError } from './render-error.js';

/** Where a transformer writes: a field path (`spec/template/metadata/labels`) for some kinds. */
export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  path: string;
  /** Create the field (and the maps above it) when it is missing. */
  create?: boolean;
}

/** Group, version and kind of a resource (`apps`, `v1`, `Deployment`; group `''` = core). */
export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** Splits `apps/v1` into group and version (`v1` is the core group). */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** True when `gvk` is selected by `sel` (every non-empty field of `sel` equal), as kyaml's IsSelected. */
export function gvkSelected(
  gvk: Gvk,
  sel: { group?: string; version?: string; kind?: string },
): boolean {
  if (sel.group && sel.group !== gvk.group) return false;
  if (sel.version && sel.version !== gvk.version) return false;
  if (sel.kind && sel.kind !== gvk.kind) return false;
  return true;
}

/** Reads field specs from a configuration list (`[{path, kind, create}]`). */
export function toFieldSpecs(list: unknown): FieldSpec[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isMap).map((x) => ({
    group: str(x.group),
    version: str(x.version),
    kind: str(x.kind),
    path: str(x.path) ?? '',
    create: x.create === true,
  }));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Splits a field path on `/`, keeping `[a/b]` together; `\/` escapes a slash. */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (c === '\\' && path[i + 1] === '/') {
      cur += '/';
      i++;
    } else if (c === '[') {
      depth++;
      cur += c;
    } else if (c === ']') {
      depth--;
      cur += c;
    } else if (c === '/' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.filter((s) => s !== '');
}

/** What a setter receives: the current value and a way to replace it. */
export type Setter = (value: unknown, put: (v: unknown) => void) => void;

/**
 * Walks `path` in `obj` as kustomize's fieldspec filter does: a sequence met on the way
 * applies the rest of the path to each item, `x[]` names a sequence field, missing fields are
 * created only with `create` (maps on the way, `createKind` at the end), and `set` is called
 * with the value found.
 */
export function walkFieldSpec(
  obj: Record<string, unknown>,
  path: string,
  create: boolean,
  createKind: 'map' | 'scalar' | 'none',
  set: Setter,
): void {
  walk(obj, splitPath(path), create, createKind, set, path);
}

function walk(
  node: unknown,
  segments: string[],
  create: boolean,
  createKind: 'map' | 'scalar' | 'none',
  set: Setter,
  full: string,
): void {
  if (node === null || node === undefined) return;
  if (Array.isArray(node)) {
    for (const item of node) walk(item, segments, create, createKind, set, full);
    return;
  }
  if (!isMap(node))
    throw new RenderError(`expected sequence or mapping node at field path '${full}'`);
  const [first, ...rest] = segments;
  if (first === undefined) return;
  let field = first;
  let isSeq = false;
  if (field.endsWith('[]')) {
    field = field.slice(0, -2);
    isSeq = true;
  }
  const match = /^\[(.+)=(.*)\]$/.exec(field);
  if (match) return; // `[name=value]` selectors appear only in replacements; not in field specs
  let value = node[field];
  if ((value === undefined || value === null) && create) {
    if (isSeq)
      value = undefined; // kustomize never creates a sequence
    else if (rest.length > 0) value = {};
    else if (createKind === 'map') value = {};
    else if (createKind === 'scalar') value = '';
    else value = undefined;
    if (value !== undefined) node[field] = value;
  }
  if (value === undefined) return;
  if (rest.length === 0) {
    set(value, (v) => {
      node[field] = v;
    });
    return;
  }
  walk(value, rest, create, createKind, set, full);
}
