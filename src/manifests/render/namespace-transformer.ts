import { type FieldSpec, gvkSelected, isMap, walkFieldSpec } from './field-spec.js';
import { RenderError } from './render-error.js';
import {
  curIdKey,
  gvkOf,
  idString,
  isClusterScoped,
  metaOf,
  type Resource,
  storePreviousId,
} from './resource.js';

/**
 * `namespace:` sets metadata.namespace on every namespaced resource, renames v1 Namespace
 * objects, follows the namespace field specs (APIService, CRD conversion webhook) and sets
 * the namespace of (Cluster)RoleBinding subjects named `default`, as kustomize does.
 */
export function setNamespace(
  resources: Resource[],
  namespace: string,
  specs: readonly FieldSpec[],
): void {
  if (namespace === '') return;
  for (const r of resources) {
    if (Object.keys(r.value).length === 0) continue;
    storePreviousId(r);
    const gvk = gvkOf(r);
    const apiVersion = typeof r.value.apiVersion === 'string' ? r.value.apiVersion : '';
    if (!isClusterScoped(gvk.kind, gvk.group)) metaOf(r).namespace = namespace;
    if (gvk.kind === 'RoleBinding' || gvk.kind === 'ClusterRoleBinding') {
      const subjects = r.value.subjects;
      if (Array.isArray(subjects))
        for (const s of subjects) if (isMap(s) && s.name === 'default') s.namespace = namespace;
    }
    for (const fs of specs) {
      if (fs.path === 'metadata/namespace') continue;
      if (fs.path === 'metadata/name' && apiVersion !== 'v1') continue;
      if (
        (gvk.kind === 'RoleBinding' || gvk.kind === 'ClusterRoleBinding') &&
        fs.path === 'subjects/namespace'
      )
        continue;
      if (!gvkSelected(gvk, fs)) continue;
      walkFieldSpec(r.value, fs.path, fs.create === true, 'scalar', (_v, put) => put(namespace));
    }
  }
  // One pass over the ids (a resource-by-resource scan was quadratic).
  const byId = new Map<string, Resource[]>();
  for (const r of resources) {
    if (Object.keys(r.value).length === 0) continue;
    const key = curIdKey(r);
    const same = byId.get(key);
    if (same) same.push(r);
    else byId.set(key, [r]);
  }
  for (const same of byId.values())
    if (same.length > 1)
      throw new RenderError(
        `namespace transformation produces ID conflict: ${same.map(idString).join(', ')}`,
      );
}
