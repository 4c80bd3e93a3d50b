import { type FieldSpec, gvkSelected, isMap, walkFieldSpec } from './field-spec.js';
import { RenderError } from './render-error.js';
import { gvkOf, type Resource } from './resource.js';

/**
 * Adds labels or annotations at every field spec that selects a resource (kustomize's
 * LabelTransformer / AnnotationsTransformer): `metadata/labels`, selectors, pod templates…
 */
export function addMapEntries(
  resources: Resource[],
  entries: Record<string, string>,
  specs: readonly FieldSpec[],
): void {
  if (Object.keys(entries).length === 0) return;
  for (const r of resources) {
    const gvk = gvkOf(r);
    for (const fs of specs) {
      if (!gvkSelected(gvk, fs)) continue;
      walkFieldSpec(r.value, fs.path, fs.create === true, 'map', (v, put) => {
        if (v === null || v === undefined) return;
        if (!isMap(v))
          throw new RenderError(
            `wrong node kind: expected MappingNode but got ${Array.isArray(v) ? 'SequenceNode' : 'ScalarNode'}: node contents:\n${String(v)}\n at field '${fs.path}'`,
          );
        const next = { ...v };
        for (const [k, val] of Object.entries(entries)) next[k] = val;
        put(next);
      });
    }
  }
}

/** A label or annotation map of a kustomization, values as strings (Go's map[string]string). */
export function stringMap(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMap(raw)) return out;
  for (const [k, v] of Object.entries(raw)) out[k] = v === null || v === undefined ? '' : String(v);
  return out;
}
