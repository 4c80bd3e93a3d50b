import { type FieldSpec, gvkSelected, isMap, walkFieldSpec } from './field-spec.js';
import { RenderError } from './render-error.js';
import { gvkOf, nameOf, orgId, type Resource } from './resource.js';

/** `replicas:` sets the replica count of the resources with that name (current or original). */
export function setReplicas(
  resources: Resource[],
  raw: unknown,
  specs: readonly FieldSpec[],
): void {
  if (!Array.isArray(raw)) return;
  for (const entry of raw) {
    if (!isMap(entry)) continue;
    const name = String(entry.name ?? '');
    const count = Number(entry.count);
    if (!Number.isInteger(count))
      throw new RenderError(`replicas: count of '${name}' must be an integer`);
    const matches = resources.filter(
      (r) => nameOf(r) === name || orgId(r).name === name || r.prevIds.some((p) => p.name === name),
    );
    for (const r of matches) {
      const gvk = gvkOf(r);
      for (const fs of specs) {
        if (!gvkSelected(gvk, fs)) continue;
        walkFieldSpec(r.value, fs.path, fs.create === true, 'scalar', (_v, put) => put(count));
      }
    }
  }
}
