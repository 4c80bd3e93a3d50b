import { isMap } from './field-spec.js';
import { RenderError } from './render-error.js';
import { curId, effectiveNamespace, gvkOf, kindOf, orgId, type Resource } from './resource.js';

/** A `target:` of a patch or replacement (kustomize's Selector). */
export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** Reads a selector from a kustomization entry. */
export function toSelector(raw: unknown): Selector {
  if (!isMap(raw)) return {};
  const s = (k: string) => (raw[k] === undefined || raw[k] === null ? undefined : String(raw[k]));
  return {
    group: s('group'),
    version: s('version'),
    kind: s('kind'),
    name: s('name'),
    namespace: s('namespace'),
    labelSelector: s('labelSelector'),
    annotationSelector: s('annotationSelector'),
  };
}

function anchored(pattern: string): RegExp {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new RenderError(`invalid regular expression in selector: ${pattern}`);
  }
}

/** The resources a selector picks (original or current name and namespace, as resmap.Select). */
export function selectResources(resources: Resource[], sel: Selector): Resource[] {
  const nameRe = sel.name ? anchored(sel.name) : undefined;
  const nsRe = sel.namespace ? anchored(sel.namespace) : undefined;
  const groupRe = sel.group ? anchored(sel.group) : undefined;
  const versionRe = sel.version ? anchored(sel.version) : undefined;
  const kindRe = sel.kind ? anchored(sel.kind) : undefined;
  const labels = sel.labelSelector ? parseLabelSelector(sel.labelSelector) : undefined;
  const annotations = sel.annotationSelector
    ? parseLabelSelector(sel.annotationSelector)
    : undefined;
  return resources.filter((r) => {
    const cur = curId(r);
    const org = orgId(r);
    const kind = kindOf(r);
    if (nsRe) {
      const orgNs = r.prevIds[0] ? org.namespace : effectiveNamespace(kind, org.namespace);
      if (!nsRe.test(orgNs) && !nsRe.test(effectiveNamespace(kind, cur.namespace))) return false;
    }
    if (nameRe && !nameRe.test(cur.name) && !r.prevIds.some((p) => nameRe.test(p.name)))
      return false;
    const g = gvkOf(r);
    if (groupRe && !groupRe.test(g.group)) return false;
    if (versionRe && !versionRe.test(g.version)) return false;
    if (kindRe && !kindRe.test(g.kind)) return false;
    const meta = isMap(r.value.metadata) ? r.value.metadata : {};
    if (labels && !labels(isMap(meta.labels) ? meta.labels : {})) return false;
    if (annotations && !annotations(isMap(meta.annotations) ? meta.annotations : {})) return false;
    return true;
  });
}

/** Parses a Kubernetes label selector string (`a=b,c!=d,e in (x,y),!f,g`). */
export function parseLabelSelector(text: string): (labels: Record<string, unknown>) => boolean {
  const tests: Array<(l: Record<string, unknown>) => boolean> = [];
  const parts = text.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  for (const raw of parts) {
    const p = raw.trim();
    if (p === '') continue;
    const setMatch = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p);
    const eqMatch = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(p);
    const notMatch = /^!(\S+)$/.exec(p);
    if (setMatch) {
      const m = setMatch;
      const [, key, op, list] = m as unknown as [string, string, string, string];
      const values = list.split(',').map((v) => v.trim());
      tests.push((l) =>
        op === 'in'
          ? key in l && values.includes(String(l[key]))
          : !(key in l) || !values.includes(String(l[key])),
      );
    } else if (eqMatch) {
      const m = eqMatch;
      const [, key, op, value] = m as unknown as [string, string, string, string];
      tests.push((l) =>
        op === '!='
          ? String(l[key] ?? '') !== value || !(key in l)
          : key in l && String(l[key]) === value,
      );
    } else if (notMatch) {
      const m = notMatch;
      const key = m[1] as string;
      tests.push((l) => !(key in l));
    } else if (/^\S+$/.test(p)) {
      tests.push((l) => p in l);
    } else throw new RenderError(`unable to parse requirement: ${p}`);
  }
  return (l) => tests.every((t) => t(l));
}
