import { type HealthStatus, objectHealth } from '../health/index.js';
import { COLUMNS } from '../kubectl/resource-columns.js';
import {
  asKind,
  controllerOf,
  SOURCE_ANNOTATION,
  type Stored,
  type StoredObject,
  storeKey,
} from '../store/index.js';

/** One node of a source's tree: an object, its health, a status line, and what it owns or routes to. */
export interface TreeNode {
  key: string;
  kind: string;
  namespace: string;
  name: string;
  health: HealthStatus;
  /** Why, for any health but Healthy. */
  healthMessage?: string;
  /** kubectl's columns of the object: `READY 2/2 · UP-TO-DATE 2 · AGE 5m`. */
  status: string;
  /** A reference (an Ingress's Service), not an owned object: its subtree is shown under the Service itself. */
  reference?: boolean;
  children: TreeNode[];
}

// biome-ignore lint/suspicious/noExplicitAny: object bodies are untyped JSON here
type Any = Record<string, any>;

/**
 * The tree of a source's objects (those annotated `berth.dev/source: <source>`) and what their
 * controllers made: Deployment → ReplicaSets → Pods, StatefulSet → Pods and PVCs (owned, or
 * named `<claim>-<set>-<ordinal>`), Service → Endpoints, DaemonSet/Job → Pods, CronJob → Jobs;
 * an Ingress lists the Services it routes to as references. Pure: `objects` is every stored
 * object. Roots sorted by kind then key.
 */
export function objectTree(
  source: string,
  objects: readonly StoredObject[],
  now: Date,
): TreeNode[] {
  const byKey = new Map(objects.map((o) => [storeKey(o), o]));
  const owned = new Map<string, StoredObject[]>();
  for (const o of objects) {
    const owner = controllerOf(o);
    if (owner) owned.set(owner, [...(owned.get(owner) ?? []), o]);
  }
  const build = (o: StoredObject, seen: Set<string>): TreeNode => {
    const key = storeKey(o);
    seen.add(key);
    const children = (owned.get(key) ?? [])
      .filter((c) => !seen.has(storeKey(c)) && c.kind !== 'ControllerRevision')
      .map((c) => build(c, seen));
    if (o.kind === 'StatefulSet') {
      for (const claim of claimsOf(asKind('StatefulSet', o), objects)) {
        if (!seen.has(storeKey(claim))) children.push(build(claim, seen));
      }
    }
    if (o.kind === 'Ingress') {
      for (const name of backendServices(o)) {
        const svc = byKey.get(`Service/${o.metadata.namespace ?? ''}/${name}`);
        children.push(
          svc
            ? { ...node(svc, byKey, now), reference: true, children: [] }
            : missing('Service', o.metadata.namespace ?? '', name),
        );
      }
    }
    children.sort((a, b) => a.key.localeCompare(b.key));
    return { ...node(o, byKey, now), children };
  };
  const roots = objects
    // Controllers copy the source annotation onto what they make: roots are the owner-less ones.
    .filter((o) => o.metadata.annotations?.[SOURCE_ANNOTATION] === source && !controllerOf(o))
    .sort((a, b) => storeKey(a).localeCompare(storeKey(b)));
  const seen = new Set<string>();
  return roots.map((o) => build(o, seen));
}

function node(
  o: StoredObject,
  byKey: Map<string, StoredObject>,
  now: Date,
): Omit<TreeNode, 'children'> {
  const endpoints =
    o.kind === 'Service'
      ? (byKey.get(`Endpoints/${o.metadata.namespace ?? ''}/${o.metadata.name}`) as never)
      : undefined;
  const health = objectHealth(o, endpoints ? { endpoints } : {});
  const columns = COLUMNS[o.kind];
  let status = '';
  if (columns) {
    const { cells } = columns.row(o, now);
    status = columns.header
      .map((h, i) => [h, cells[i]] as const)
      .filter(([h]) => h !== 'NAME')
      .map(([h, c]) => `${h} ${c}`)
      .join(' · ');
  }
  return {
    key: storeKey(o),
    kind: o.kind,
    namespace: o.metadata.namespace ?? '',
    name: o.metadata.name,
    health: health.status,
    ...(health.status !== 'Healthy' && health.message ? { healthMessage: health.message } : {}),
    status,
  };
}

function missing(kind: string, namespace: string, name: string): TreeNode {
  return {
    key: `${kind}/${namespace}/${name}`,
    kind,
    namespace,
    name,
    health: 'Missing',
    healthMessage: 'the object does not exist',
    status: '',
    reference: true,
    children: [],
  };
}

/** The PVCs of a StatefulSet's volumeClaimTemplates: `<template>-<set>-<ordinal>`. */
function claimsOf(sts: Stored<'StatefulSet'>, objects: readonly StoredObject[]): StoredObject[] {
  const templates = sts.spec.volumeClaimTemplates ?? [];
  const prefixes = templates.map((t) => `${t.metadata?.name}-${sts.metadata.name}-`);
  return objects.filter(
    (o) =>
      o.kind === 'PersistentVolumeClaim' &&
      o.metadata.namespace === sts.metadata.namespace &&
      prefixes.some(
        (p) => o.metadata.name.startsWith(p) && /^\d+$/.test(o.metadata.name.slice(p.length)),
      ),
  );
}

/** The Services an Ingress routes to (default backend and every path), in order, once each. */
function backendServices(ing: StoredObject): string[] {
  const spec = (ing.spec ?? {}) as Any;
  const names: string[] = [];
  const add = (b: Any | undefined) => {
    const n = b?.service?.name;
    if (typeof n === 'string' && !names.includes(n)) names.push(n);
  };
  add(spec.defaultBackend);
  for (const rule of (spec.rules ?? []) as Any[])
    for (const p of (rule.http?.paths ?? []) as Any[]) add(p.backend);
  return names;
}
