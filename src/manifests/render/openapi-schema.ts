import { isMap } from './field-spec.js';
import { RenderError } from './render-error.js';

/**
 * A custom OpenAPI document given by a kustomization's `openapi: {path: …}` (kustomize's
 * `openapi.SetSchema`): Swagger 2 `definitions`, indexed by every entry of their
 * `x-kubernetes-group-version-kind`. Only the patch strategy and merge key of list fields
 * are read from it (what strategic merge needs); `$ref`s resolve within the document.
 */
export interface CustomSchema {
  /** The schema of a resource type, by `apiVersion` and `kind`; undefined when not listed. */
  forType(apiVersion: string, kind: string): SchemaNode | undefined;
}

/** One node of a schema, walked as kyaml's `ResourceSchema` (Field, Elements). */
export interface SchemaNode {
  field(name: string): SchemaNode | undefined;
  elements(): SchemaNode | undefined;
  /** `x-kubernetes-patch-strategy` and `x-kubernetes-patch-merge-key` ('' when absent). */
  strategy: string;
  mergeKey: string;
}

/** The only Kubernetes OpenAPI version kustomize has built in (`openapi: {version: …}`). */
export const BUILTIN_OPENAPI_VERSION = 'v1.21.2';

const MAX_REF_HOPS = 64;

/** Parses the document (JSON or YAML already read into a value). Throws on a bad shape. */
export function parseCustomSchema(doc: unknown, file: string): CustomSchema {
  if (!isMap(doc)) throw new RenderError(`${file}: invalid schema file: not a mapping`);
  const defs = isMap(doc.definitions) ? doc.definitions : {};
  const byType = new Map<string, Record<string, unknown>>();
  for (const def of Object.values(defs)) {
    if (!isMap(def)) continue;
    const gvks = def['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const g of gvks) {
      if (!isMap(g) || typeof g.kind !== 'string' || typeof g.version !== 'string') continue;
      const group = typeof g.group === 'string' ? g.group : '';
      const apiVersion = group === '' ? g.version : `${group}/${g.version}`;
      byType.set(`${apiVersion}\u0000${g.kind}`, def);
    }
  }
  const resolve = (s: unknown): Record<string, unknown> | undefined => {
    let cur = s;
    for (let hops = 0; isMap(cur) && typeof cur.$ref === 'string'; hops++) {
      if (hops >= MAX_REF_HOPS) return undefined;
      const m = /^#\/definitions\/(.+)$/.exec(cur.$ref);
      cur = m ? defs[(m[1] as string).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
    }
    return isMap(cur) ? cur : undefined;
  };
  const node = (s: Record<string, unknown>): SchemaNode => ({
    field(name) {
      const props = isMap(s.properties) ? s.properties : {};
      const extra = isMap(s.additionalProperties) ? s.additionalProperties : undefined;
      const f = Object.hasOwn(props, name) ? resolve(props[name]) : extra && resolve(extra);
      return f ? node(f) : undefined;
    },
    elements() {
      const type = s.type;
      if (type !== 'array' && !(Array.isArray(type) && type.length === 1 && type[0] === 'array'))
        return undefined;
      const items = resolve(s.items);
      return items ? node(items) : undefined;
    },
    strategy: strategyOf(s),
    mergeKey:
      strategyOf(s) !== '' && typeof s['x-kubernetes-patch-merge-key'] === 'string'
        ? s['x-kubernetes-patch-merge-key']
        : '',
  });
  return {
    forType(apiVersion, kind) {
      const def = byType.get(`${apiVersion}\u0000${kind}`);
      return def ? node(def) : undefined;
    },
  };
}

function strategyOf(s: Record<string, unknown>): string {
  const v = s['x-kubernetes-patch-strategy'];
  return typeof v === 'string' ? v : '';
}
