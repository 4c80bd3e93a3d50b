import { isMap } from './field-spec.js';
import type { CustomSchema, SchemaNode } from './openapi-schema.js';
import { RenderError } from './render-error.js';

/** Kinds whose schema kustomize knows (its built-in Kubernetes OpenAPI): lists merge by key. */
const BUILTIN_KINDS = new Set([
  'Pod',
  'PodTemplate',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'ReplicationController',
  'Service',
  'ConfigMap',
  'Secret',
  'ServiceAccount',
  'Ingress',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'Namespace',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'NetworkPolicy',
  'HorizontalPodAutoscaler',
  'PodDisruptionBudget',
  'Endpoints',
  'LimitRange',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'PriorityClass',
]);

/** Kubernetes' patch merge keys by list field (x-kubernetes-patch-merge-key). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  imagePullSecrets: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  ownerReferences: 'uid',
  resourceClaims: 'name',
  schedulingGates: 'name',
  conditions: 'type',
};

/** Primitive lists Kubernetes merges as sets. */
const MERGED_PRIMITIVES = new Set(['finalizers']);

function directive(v: unknown): string | undefined {
  return isMap(v) && typeof v.$patch === 'string' ? v.$patch : undefined;
}

function stripDirectives(v: unknown): unknown {
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== '$patch') out[k] = stripDirectives(x);
    return out;
  }
  return v;
}

/**
 * Applies a strategic merge patch to `target` (kyaml's merge2 with kustomize's options):
 * maps merge recursively, `null` deletes a field, lists of the built-in kinds merge by their
 * Kubernetes merge key (containers by name, ports by containerPort…; patch elements first),
 * other lists are replaced, and `$patch: delete|replace` work on maps and list elements.
 * Returns undefined when the patch deletes the whole object.
 */
export function strategicMerge(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
  custom?: CustomSchema,
): Record<string, unknown> | undefined {
  const kind = typeof target.kind === 'string' ? target.kind : '';
  const builtin = BUILTIN_KINDS.has(kind);
  // A custom schema (`openapi: {path: …}`) adds kinds; the built-in ones keep their schema,
  // as kustomize parses the built-in definitions after the custom ones.
  const node =
    builtin || !custom
      ? undefined
      : custom.forType(typeof target.apiVersion === 'string' ? target.apiVersion : '', kind);
  const out = mergeValue(target, patch, builtin, [], node ? { node } : undefined);
  return out === CLEAR ? undefined : (out as Record<string, unknown>);
}

const CLEAR = Symbol('clear');

/** Where a merge is in a custom schema (undefined: the built-in rules apply). */
type At = { node: SchemaNode | undefined } | undefined;

function mergeValue(dest: unknown, src: unknown, schema: boolean, path: string[], at: At): unknown {
  if (isMap(src)) {
    const d = directive(src);
    if (dest === undefined || dest === null) return d === 'delete' ? CLEAR : src;
    if (d === 'delete') return CLEAR;
    if (d === 'replace') return stripDirectives(src);
    if (d !== undefined && d !== 'merge')
      throw new RenderError(`unknown patch strategy ${JSON.stringify(d)}`);
    if (!isMap(dest)) return src;
    const out: Record<string, unknown> = { ...dest };
    for (const [k, v] of Object.entries(src)) {
      if (k === '$patch' || k.startsWith('$setElementOrder/') || k.startsWith('$retainKeys'))
        continue;
      if (v === null) {
        delete out[k];
        continue;
      }
      const merged = mergeValue(
        dest[k],
        v,
        schema,
        [...path, k],
        at && { node: at.node?.field(k) },
      );
      if (merged === CLEAR) delete out[k];
      else out[k] = merged;
    }
    return out;
  }
  if (Array.isArray(src)) {
    if (!Array.isArray(dest)) return src;
    if (at) return mergeCustomList(dest, src, at.node);
    return mergeList(dest, src, schema, path);
  }
  return src;
}

function mergeKey(field: string | undefined, items: unknown[], path: string[]): string | undefined {
  if (field === undefined) return undefined;
  if (field === 'ports') {
    const first = items.find(isMap);
    if (
      path.includes('containers') ||
      path.includes('initContainers') ||
      (first && 'containerPort' in first)
    )
      return 'containerPort';
    return 'port';
  }
  return MERGE_KEYS[field];
}

function mergeList(dest: unknown[], src: unknown[], schema: boolean, path: string[]): unknown {
  const field = path[path.length - 1];
  if (!schema) return src;
  if (field !== undefined && MERGED_PRIMITIVES.has(field)) {
    const out = [...src];
    for (const x of dest) if (!out.includes(x)) out.push(x);
    return out;
  }
  const key = mergeKey(field, [...dest, ...src], path);
  if (!key) return src;
  return mergeByKey(dest, src, key, (d, s) => mergeValue(d, s, true, path, undefined));
}

/** A list under a custom schema: the strategy and key its schema gives, else replaced. */
function mergeCustomList(dest: unknown[], src: unknown[], node: SchemaNode | undefined): unknown {
  if (node === undefined) return src;
  if (!node.strategy.split(',').includes('merge')) return src;
  if (node.mergeKey === '') {
    const out = [...src];
    for (const x of dest) if (!out.includes(x)) out.push(x);
    return out;
  }
  const items = { node: node.elements() };
  return mergeByKey(dest, src, node.mergeKey, (d, s) => mergeValue(d, s, false, [], items));
}

function mergeByKey(
  dest: unknown[],
  src: unknown[],
  key: string,
  merge: (d: unknown, s: unknown) => unknown,
): unknown {
  const keyOf = (x: unknown) => (isMap(x) && x[key] !== undefined ? String(x[key]) : undefined);
  const order: string[] = [];
  for (const x of [...src, ...dest]) {
    const k = keyOf(x);
    if (k !== undefined && !order.includes(k)) order.push(k);
  }
  const out: unknown[] = [];
  for (const k of order) {
    const d = dest.find((x) => keyOf(x) === k);
    const s = src.find((x) => keyOf(x) === k);
    if (s === undefined) {
      out.push(d);
      continue;
    }
    const merged =
      d === undefined ? (directive(s) === 'delete' ? CLEAR : stripDirectives(s)) : merge(d, s);
    if (merged !== CLEAR && !(isMap(merged) && Object.keys(merged).length === 0)) out.push(merged);
  }
  for (const x of dest) if (keyOf(x) === undefined) out.push(x);
  return out;
}
