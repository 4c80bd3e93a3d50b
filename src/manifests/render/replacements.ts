import { isMap } from './field-spec.js';
import { parseYamlFile } from './parse-yaml.js';
import { RenderError } from './render-error.js';
import type { Resource } from './resource.js';
import { type Selector, selectResources, toSelector } from './select-targets.js';

interface Options {
  delimiter?: string;
  index?: number;
  create?: boolean;
}

interface Replacement {
  source: Selector & { fieldPath: string; options: Options };
  targets: Array<{ select: Selector; reject: Selector[]; fieldPaths: string[]; options: Options }>;
}

function options(raw: unknown): Options {
  if (!isMap(raw)) return {};
  return {
    delimiter: typeof raw.delimiter === 'string' ? raw.delimiter : undefined,
    index: typeof raw.index === 'number' ? raw.index : undefined,
    create: raw.create === true,
  };
}

/** Reads `replacements:` entries (inline, or `path:` to a file read by `read`). */
export function toReplacements(
  raw: unknown,
  read: (path: string, at: number) => string,
): Replacement[] {
  if (!Array.isArray(raw)) return [];
  const out: Replacement[] = [];
  raw.forEach((entry, i) => {
    if (!isMap(entry)) return;
    if (typeof entry.path === 'string') {
      for (const doc of parseYamlFile(entry.path, read(entry.path, i)).values) {
        for (const r of Array.isArray(doc) ? doc : [doc]) if (isMap(r)) out.push(one(r));
      }
      return;
    }
    out.push(one(entry));
  });
  return out;
}

function one(r: Record<string, unknown>): Replacement {
  const src = isMap(r.source) ? r.source : {};
  return {
    source: {
      ...toSelector(src),
      fieldPath: typeof src.fieldPath === 'string' ? src.fieldPath : 'metadata.name',
      options: options(src.options),
    },
    targets: (Array.isArray(r.targets) ? r.targets : []).filter(isMap).map((t) => ({
      select: toSelector(t.select),
      reject: (Array.isArray(t.reject) ? t.reject : []).map(toSelector),
      fieldPaths: (Array.isArray(t.fieldPaths) ? t.fieldPaths : ['metadata.name']).map(String),
      options: options(t.options),
    })),
  };
}

/** Splits a kyaml field path on dots, keeping `[a.b=c]` together. */
export function splitFieldPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of path) {
    if (c === '[') depth++;
    if (c === ']') depth--;
    if (c === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.filter((s) => s !== '');
}

type Visit = (holder: Record<string, unknown> | unknown[], key: string | number) => void;

function walk(node: unknown, segs: string[], create: boolean, visit: Visit): void {
  const [seg, ...rest] = segs;
  if (seg === undefined) return;
  const sel = /^\[(.+?)=(.*)\]$/.exec(seg);
  if (sel) {
    if (!Array.isArray(node)) return;
    node.forEach((item, i) => {
      if (isMap(item) && String(item[sel[1] as string]) === sel[2]) {
        if (rest.length === 0) visit(node, i);
        else walk(item, rest, create, visit);
      }
    });
    return;
  }
  if (seg === '*' && Array.isArray(node)) {
    node.forEach((item, i) => {
      if (rest.length === 0) visit(node, i);
      else walk(item, rest, create, visit);
    });
    return;
  }
  if (Array.isArray(node) && /^\d+$/.test(seg)) {
    const i = Number(seg);
    if (rest.length === 0) visit(node, i);
    else walk(node[i], rest, create, visit);
    return;
  }
  if (!isMap(node)) return;
  if (rest.length === 0) {
    if (seg in node || create) visit(node, seg);
    return;
  }
  if (node[seg] === undefined || node[seg] === null) {
    if (!create) return;
    node[seg] = /^\[.*\]$/.test(rest[0] as string) ? [] : {};
  }
  walk(node[seg], rest, create, visit);
}

function getValue(obj: unknown, path: string): unknown {
  let found: unknown;
  walk(obj, splitFieldPath(path), false, (h, k) => {
    found ??= (h as Record<string | number, unknown>)[k];
  });
  return found;
}

/** Applies `replacements:` (kustomize's ReplacementTransformer). */
export function applyReplacements(resources: Resource[], list: Replacement[]): void {
  for (const r of list) {
    const sources = selectResources(resources, r.source);
    if (sources.length === 0)
      throw new RenderError(`nothing selected by ${JSON.stringify(r.source)}`);
    if (sources.length > 1)
      throw new RenderError(`multiple matches for selector ${JSON.stringify(r.source)}`);
    let value = getValue((sources[0] as Resource).value, r.source.fieldPath);
    if (value === undefined)
      throw new RenderError(
        `fieldPath \`${r.source.fieldPath}\` is missing for replacement source`,
      );
    const so = r.source.options;
    if (so.delimiter !== undefined && typeof value === 'string') {
      const parts = value.split(so.delimiter);
      value = parts[so.index ?? 0] ?? '';
    }
    for (const t of r.targets) {
      const rejected = new Set(t.reject.flatMap((s) => selectResources(resources, s)));
      for (const target of selectResources(resources, t.select)) {
        if (rejected.has(target)) continue;
        for (const fp of t.fieldPaths) {
          walk(target.value, splitFieldPath(fp), t.options.create === true, (h, k) => {
            const holder = h as Record<string | number, unknown>;
            const cur = holder[k];
            if (t.options.delimiter !== undefined && typeof cur === 'string') {
              const parts = cur.split(t.options.delimiter);
              const i = t.options.index ?? 0;
              if (i < 0 || i >= parts.length)
                parts.splice(i < 0 ? 0 : parts.length, 0, String(value));
              else parts[i] = String(value);
              holder[k] = parts.join(t.options.delimiter);
            } else holder[k] = structuredClone(value);
          });
        }
      }
    }
  }
}
