import {
  type FieldSpec,
  type Gvk,
  gvkSelected,
  isMap,
  parseApiVersion,
  walkFieldSpec,
} from './field-spec.js';
import { RenderError } from './render-error.js';
import {
  effectiveNamespace,
  gvkOf,
  idString,
  isClusterScoped,
  kindOf,
  nameOf,
  namespaceOf,
  orgId,
  type ResId,
  type Resource,
} from './resource.js';
import type { TransformerConfig } from './transformer-config.js';

/**
 * Rewrites references to renamed objects (kustomize's nameReference transformer, run once at
 * the end of a build): a field naming a ConfigMap, Secret, Service, ServiceAccount, PVC… that
 * was prefixed, suffixed, hashed or moved gets the object's final name (and namespace).
 */
export function fixNameReferences(resources: Resource[], config: TransformerConfig): void {
  for (const r of resources) if (kindOf(r) === 'RoleBinding') checkSubjectNamespaces(r);
  const candidatesOf = new Map<Resource, Set<Resource>>();
  const gvks = new Map(resources.map((r) => [r, orgGvk(r)]));
  // Only objects that were renamed can be referred to under an old name.
  const renamed = new Set(resources.filter((r) => r.prevIds.length > 0));
  if (renamed.size === 0) return;
  // Indexes built once (a scan of every resource per reference was quadratic).
  const index: ReferralIndex = { byOldName: new Map(), prevGvks: new Map() };
  for (const r of renamed) {
    index.prevGvks.set(r, prevGvks(r));
    for (const name of new Set(r.prevIds.map((id) => id.name))) {
      const list = index.byOldName.get(name);
      if (list) list.push(r);
      else index.byOldName.set(name, [r]);
    }
  }
  // Referrers by kind: most field specs name one kind, so only those objects are visited.
  const byKind = new Map<string, Resource[]>();
  for (const r of resources) {
    const kind = (gvks.get(r) as Gvk).kind;
    const list = byKind.get(kind);
    if (list) list.push(r);
    else byKind.set(kind, [r]);
  }
  const renamedGvks = [...renamed].map((r) => index.prevGvks.get(r) ?? []);
  for (const back of config.nameReference) {
    const target = { group: back.group, version: back.version, kind: back.kind };
    if (!renamedGvks.some((list) => list.some((g) => gvkSelected(g, target)))) continue;
    for (const fs of back.fieldSpecs) {
      const referrers = fs.kind ? (byKind.get(fs.kind) ?? []) : resources;
      for (const referrer of referrers) {
        if (!gvkSelected(gvks.get(referrer) as Gvk, fs)) continue;
        let candidates = candidatesOf.get(referrer);
        if (!candidates) {
          candidates = new Set(couldBeReferenced(resources, referrer));
          candidatesOf.set(referrer, candidates);
        }
        const all = candidates;
        const select = (
          oldName: string,
          list: Set<Resource>,
          identical: (rs: Resource[]) => boolean,
        ) => selectReferral(index, oldName, list, target, fs, referrer, identical);
        walkFieldSpec(referrer.value, fs.path, false, 'none', (value, put) => {
          const setScalar = (v: string, putV: (x: unknown) => void) => {
            const referral = select(v, all, allNamesSame);
            if (referral && nameOf(referral) !== v) putV(nameOf(referral));
          };
          const setMapping = (m: Record<string, unknown>) => {
            if (!('name' in m)) throw new RenderError("path config error; no 'name' field in node");
            const oldName = String(m.name);
            const list =
              typeof m.namespace === 'string' ? new Set(byNamespace([...all], m.namespace)) : all;
            const referral = select(oldName, list, allNamesAndNamespacesSame);
            if (!referral) return;
            if (nameOf(referral) === oldName && namespaceOf(referral) === '') return;
            m.name = nameOf(referral);
            if (namespaceOf(referral) !== '') m.namespace = namespaceOf(referral);
          };
          if (value === null || value === undefined) return;
          if (typeof value === 'string') setScalar(value, put);
          else if (isMap(value)) setMapping(value);
          else if (Array.isArray(value)) {
            value.forEach((item, i) => {
              if (typeof item === 'string')
                setScalar(item, (x) => {
                  value[i] = x;
                });
              else if (isMap(item)) setMapping(item);
            });
          }
        });
      }
    }
  }
}

function orgGvk(r: Resource): Gvk {
  const av = typeof r.value.apiVersion === 'string' ? r.value.apiVersion : '';
  return { ...parseApiVersion(av), kind: orgId(r).kind || kindOf(r) };
}

function prevGvks(r: Resource): Array<Gvk & ResId> {
  const av = parseApiVersion(typeof r.value.apiVersion === 'string' ? r.value.apiVersion : '');
  return r.prevIds.map((id) => ({ ...av, ...id }));
}

function byNamespace(list: Resource[], ns: string): Resource[] {
  const orig = list.filter(
    (r) => orgId(r).namespace === ns || (r.prevIds[0] === undefined && namespaceOf(r) === ns),
  );
  if (orig.length > 0) return orig;
  return list.filter((r) => namespaceOf(r) === ns);
}

/** A ServiceAccount subject with a blank `namespace:` is an error (kustomize's wording). */
function checkSubjectNamespaces(r: Resource): void {
  const subjects = r.value.subjects;
  if (!Array.isArray(subjects)) return;
  for (const s of subjects) {
    if (!isMap(s) || !('namespace' in s) || s.kind !== 'ServiceAccount') continue;
    if (typeof s.namespace !== 'string')
      throw new RenderError(
        `Invalid Input: namespace is blank for resource ${JSON.stringify(idString(r))}`,
      );
  }
}

function couldBeReferenced(resources: Resource[], referrer: Resource): Resource[] {
  const kind = kindOf(referrer);
  if (isClusterScoped(kind)) return resources;
  const ns = effectiveNamespace(kind, namespaceOf(referrer));
  const bindingNs = new Set<string>();
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    const subjects = referrer.value.subjects;
    if (Array.isArray(subjects))
      for (const s of subjects)
        if (isMap(s) && s.kind === 'ServiceAccount' && typeof s.namespace === 'string')
          bindingNs.add(s.namespace);
  }
  return resources.filter((r) => {
    const k = kindOf(r);
    if (isClusterScoped(k)) return true;
    if (effectiveNamespace(k, namespaceOf(r)) === ns) return true;
    return bindingNs.has(namespaceOf(r));
  });
}

function sameEnding(a: string[], b: string[]): boolean {
  let shortest = a;
  let longest = b;
  if (shortest.length > longest.length) [shortest, longest] = [longest, shortest];
  const diff = longest.length - shortest.length;
  if (shortest.length === 0) return diff === 0;
  for (let i = shortest.length - 1; i >= 0; i--)
    if (longest[i + diff] !== shortest[i]) return false;
  return true;
}

function affixesEqual(r: Resource, o: Resource, allowEmpty: boolean): boolean {
  if (allowEmpty) {
    const pe = r.prefixes.length === 0 || o.prefixes.length === 0;
    const se = r.suffixes.length === 0 || o.suffixes.length === 0;
    return (pe || sameEnding(r.prefixes, o.prefixes)) && (se || sameEnding(r.suffixes, o.suffixes));
  }
  return sameEnding(r.prefixes, o.prefixes) && sameEnding(r.suffixes, o.suffixes);
}

const allNamesSame = (rs: Resource[]) => rs.every((r) => nameOf(r) === nameOf(rs[0] as Resource));
const allNamesAndNamespacesSame = (rs: Resource[]) =>
  rs.every(
    (r) =>
      nameOf(r) === nameOf(rs[0] as Resource) && namespaceOf(r) === namespaceOf(rs[0] as Resource),
  );

interface ReferralIndex {
  /** Renamed resources by each of their previous names, in build order. */
  byOldName: Map<string, Resource[]>;
  prevGvks: Map<Resource, Array<Gvk & ResId>>;
}

function selectReferral(
  index: ReferralIndex,
  oldName: string,
  list: Set<Resource>,
  target: { group?: string; version?: string; kind: string },
  fs: FieldSpec,
  referrer: Resource,
  identical: (rs: Resource[]) => boolean,
): Resource | undefined {
  let c = (index.byOldName.get(oldName) ?? []).filter((r) => list.has(r));
  if (c.length === 0) return undefined;
  c = c.filter((r) => index.prevGvks.get(r)?.some((g) => gvkSelected(g, target)));
  if (fs.path.endsWith('roleRef/name')) {
    const roleRef = referrer.value.roleRef;
    if (isMap(roleRef) && roleRef.apiGroup !== undefined && roleRef.kind !== undefined) {
      const sel = { group: String(roleRef.apiGroup), kind: String(roleRef.kind) };
      c = c.filter((r) => index.prevGvks.get(r)?.some((g) => gvkSelected(g, sel)));
    }
  }
  const refKind = kindOf(referrer);
  if (!isClusterScoped(refKind)) {
    const ns = effectiveNamespace(refKind, namespaceOf(referrer));
    c = c.filter(
      (r) =>
        isClusterScoped(kindOf(r)) ||
        kindOf(r) === 'ServiceAccount' ||
        effectiveNamespace(kindOf(r), namespaceOf(r)) === ns,
    );
  }
  if (c.length === 1) return c[0];
  c = c.filter((r) => affixesEqual(r, referrer, true));
  if (c.length > 1) c = c.filter((r) => affixesEqual(r, referrer, false));
  if (c.length === 1) return c[0];
  if (c.length === 0) return undefined;
  if (identical(c)) return c[0];
  throw new RenderError(`found multiple possible referrals: ${c.map(idString).join(', ')}`);
}

export { gvkOf };
