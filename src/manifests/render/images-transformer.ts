import { type FieldSpec, gvkSelected, isMap, walkFieldSpec } from './field-spec.js';
import { gvkOf, type Resource } from './resource.js';

/** One `images:` entry of a kustomization. */
export interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** Reads the `images:` list. */
export function toImageRules(raw: unknown): ImageRule[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isMap).map((x) => ({
    name: String(x.name ?? ''),
    newName: x.newName === undefined ? undefined : String(x.newName),
    newTag: x.newTag === undefined ? undefined : String(x.newTag),
    digest: x.digest === undefined ? undefined : String(x.digest),
  }));
}

/** Splits `registry/name:tag@digest` into name and the tag/digest part. */
function split(image: string): { name: string; tag: string; digest: string } {
  let rest = image;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { name: rest, tag, digest };
}

function update(image: string, rule: ImageRule): string | undefined {
  const cur = split(image);
  if (cur.name !== rule.name) return undefined;
  const name = rule.newName ?? cur.name;
  if (rule.digest) return `${name}@${rule.digest}`;
  if (rule.newTag !== undefined) return `${name}:${rule.newTag}`;
  let out = name;
  if (cur.tag) out += `:${cur.tag}`;
  if (cur.digest) out += `@${cur.digest}`;
  return out;
}

/**
 * `images:`: every `containers`/`initContainers` image anywhere in a resource (kustomize's
 * legacy filter) and the images field specs get the new name, tag or digest.
 */
export function setImages(
  resources: Resource[],
  rules: ImageRule[],
  specs: readonly FieldSpec[],
): void {
  for (const rule of rules) {
    for (const r of resources) {
      legacy(r.value, rule);
      const gvk = gvkOf(r);
      for (const fs of specs) {
        if (!gvkSelected(gvk, fs)) continue;
        walkFieldSpec(r.value, fs.path, false, 'none', (v, put) => {
          if (typeof v !== 'string') return;
          const next = update(v, rule);
          if (next !== undefined && next !== v) put(next);
        });
      }
    }
  }
}

function legacy(node: unknown, rule: ImageRule): void {
  if (Array.isArray(node)) {
    for (const x of node) legacy(x, rule);
    return;
  }
  if (!isMap(node)) return;
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
      for (const c of v) {
        if (isMap(c) && typeof c.image === 'string') {
          const next = update(c.image, rule);
          if (next !== undefined) c.image = next;
        }
      }
    } else legacy(v, rule);
  }
}
