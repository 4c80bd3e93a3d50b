import {
  type FieldSpec,
  gvkSelected,
  isMap,
  parseApiVersion,
  walkFieldSpec,
} from './field-spec.js';
import { RenderError } from './render-error.js';
import { curId, effectiveNamespace, gvkOf, kindOf, type Resource } from './resource.js';

/** One `vars:` entry: a name bound to a field of one object. */
export interface Var {
  name: string;
  objref: { apiVersion?: string; kind: string; name: string; namespace?: string };
  fieldPath: string;
}

/** Reads `vars:`; the field path defaults to `metadata.name`. */
export function toVars(raw: unknown): Var[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isMap).map((v) => {
    const o = ci(v, 'objref');
    const f = ci(v, 'fieldref');
    return {
      name: String(v.name ?? ''),
      objref: {
        apiVersion: o.apiVersion === undefined ? undefined : String(o.apiVersion),
        kind: String(o.kind ?? ''),
        name: String(o.name ?? ''),
        namespace: o.namespace === undefined ? undefined : String(o.namespace),
      },
      fieldPath:
        typeof ciKey(f, 'fieldPath') === 'string' && ciKey(f, 'fieldPath') !== ''
          ? String(ciKey(f, 'fieldPath'))
          : 'metadata.name',
    };
  });
}

/** A field looked up ignoring case, as Go's JSON decoding does. */
function ciKey(m: Record<string, unknown>, key: string): unknown {
  const k = Object.keys(m).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : m[k];
}

function ci(m: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = ciKey(m, key);
  return isMap(v) ? v : {};
}

/**
 * Binds vars to the objects they name, as kustomize's MergeVars at the end of each
 * kustomization (by any id the object had; ambiguous matches are errors).
 */
export function bindVars(resources: Resource[], vars: Var[], known: Var[]): void {
  for (const v of vars) {
    if (known.some((k) => k.name === v.name))
      throw new RenderError(`var '${v.name}' already encountered`);
    const sel = {
      ...(v.objref.apiVersion ? parseApiVersion(v.objref.apiVersion) : {}),
      kind: v.objref.kind,
    };
    const matched = resources.filter((r) => {
      if (
        !gvkSelected({ ...gvkOf(r), kind: kindOf(r) }, sel) &&
        !r.prevIds.some((p) => gvkSelected({ ...gvkOf(r), kind: p.kind }, sel))
      )
        return false;
      const ids = [curId(r), ...r.prevIds];
      return ids.some(
        (id) =>
          id.name === v.objref.name &&
          (v.objref.namespace === undefined ||
            effectiveNamespace(id.kind, id.namespace === 'default' ? '' : id.namespace) ===
              effectiveNamespace(id.kind, v.objref.namespace)),
      );
    });
    if (matched.length > 1)
      throw new RenderError(
        `found ${matched.length} resId matches for var ${v.name} (unable to disambiguate)`,
      );
    const [only] = matched;
    if (only) only.refVarNames = [...(only.refVarNames ?? []), v.name];
    known.push(v);
  }
}

/** The value at a kustomize field path (`spec.ports[0].port`, `metadata.name`). */
export function fieldValue(obj: unknown, fieldPath: string): unknown {
  let node = obj;
  for (const part of fieldPath.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) node = isMap(node) ? node[m[1]] : undefined;
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g))
      node = Array.isArray(node) ? node[Number(idx[1])] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

const REF = /\$\$|\$\(([A-Za-z0-9_.-]+)\)/g;

function expand(s: string, values: Map<string, unknown>): unknown {
  const whole = /^\$\(([A-Za-z0-9_.-]+)\)$/.exec(s);
  if (whole && values.has(whole[1] as string)) return values.get(whole[1] as string);
  return s.replace(REF, (all, name: string | undefined) => {
    if (name === undefined) return all === '$$' ? '$' : all;
    if (!values.has(name)) return all;
    const v = values.get(name);
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
}

/** Replaces `$(VAR)` in the varReference fields of every object (kustomize's ResolveVars). */
export function resolveVars(resources: Resource[], vars: Var[], specs: readonly FieldSpec[]): void {
  if (vars.length === 0) return;
  const values = new Map<string, unknown>();
  for (const v of vars) {
    const owner = resources.find((r) => r.refVarNames?.includes(v.name));
    if (!owner)
      throw new RenderError(
        `var '${v.name}' cannot be mapped to a field in the set of known resources`,
      );
    const value = fieldValue(owner.value, v.fieldPath);
    if (value === undefined)
      throw new RenderError(
        `field specified in var '${v.name}' not found in corresponding resource`,
      );
    values.set(v.name, value);
  }
  for (const r of resources) {
    const gvk = gvkOf(r);
    for (const fs of specs) {
      if (!gvkSelected(gvk, fs)) continue;
      walkFieldSpec(r.value, fs.path, false, 'none', (value, put) => {
        if (typeof value === 'string') put(expand(value, values));
        else if (Array.isArray(value))
          value.forEach((x, i) => {
            if (typeof x === 'string') value[i] = expand(x, values);
          });
        else if (isMap(value))
          for (const [k, x] of Object.entries(value))
            if (typeof x === 'string') value[k] = expand(x, values);
      });
    }
  }
}
