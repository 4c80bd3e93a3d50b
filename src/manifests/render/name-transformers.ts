import { type FieldSpec, gvkSelected, parseApiVersion, walkFieldSpec } from './field-spec.js';
import { kindOf, orgId, type Resource, storePreviousId } from './resource.js';

const SKIP_RENAME = [
  { kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { kind: 'Namespace' },
];

/** namePrefix / nameSuffix: renames each resource and records the old id and the affix. */
export function addNameAffix(
  resources: Resource[],
  affix: string,
  where: 'prefix' | 'suffix',
  specs: readonly FieldSpec[],
): void {
  for (const r of resources) {
    const id = orgId(r);
    const av = typeof r.value.apiVersion === 'string' ? r.value.apiVersion : '';
    const gvk = { ...parseApiVersion(av), kind: id.kind || kindOf(r) };
    if (SKIP_RENAME.some((s) => gvkSelected(gvk, s))) continue;
    for (const fs of specs) {
      if (!gvkSelected(gvk, fs)) continue;
      if (fs.path === 'metadata/name') {
        (where === 'prefix' ? r.prefixes : r.suffixes).push(affix);
        if (affix !== '') storePreviousId(r);
      }
      walkFieldSpec(r.value, fs.path, fs.create === true, 'scalar', (v, put) => {
        if (typeof v === 'string') put(where === 'prefix' ? `${affix}${v}` : `${v}${affix}`);
      });
    }
  }
}
