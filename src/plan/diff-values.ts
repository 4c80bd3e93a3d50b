/** One field that differs between two objects. */
export interface FieldChange {
  /**
   * Where, in kubectl's dotted form; items of named lists (containers, env, ports, volumes...) are
   * addressed by name: `spec.template.spec.containers[web].image`.
   */
  path: string;
  /** Absent when the field is added. */
  before?: unknown;
  /** Absent when the field is removed. */
  after?: unknown;
}

/**
 * Lists whose items Kubernetes merges by a key (its strategic-merge patch keys): diffed item by
 * item, so reordering is not a change and a path names the item.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
};

/** The fields that differ between `before` and `after` (plain JSON values), deepest first-level paths. */
export function diffValues(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (deepEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffMember(before, after, k, path));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const field = path.slice(path.lastIndexOf('.') + 1);
    const mergeKey = MERGE_KEYS[field];
    if (mergeKey && [...before, ...after].every((i) => isObject(i) && i[mergeKey] !== undefined)) {
      return diffNamedList(
        before as Record<string, unknown>[],
        after as Record<string, unknown>[],
        mergeKey,
        path,
      );
    }
  }
  return [{ path: path || '.', before, after }];
}

function diffMember(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  k: string,
  path: string,
): FieldChange[] {
  const p = path ? `${path}.${k}` : k;
  if (!(k in after)) return [{ path: p, before: before[k] }];
  if (!(k in before)) return [{ path: p, after: after[k] }];
  return diffValues(before[k], after[k], p);
}

function diffNamedList(
  before: Record<string, unknown>[],
  after: Record<string, unknown>[],
  key: string,
  path: string,
): FieldChange[] {
  const old = new Map(before.map((i) => [String(i[key]), i]));
  const now = new Map(after.map((i) => [String(i[key]), i]));
  const changes: FieldChange[] = [];
  for (const [id, item] of now) {
    const p = `${path}[${id}]`;
    const prev = old.get(id);
    changes.push(...(prev === undefined ? [{ path: p, after: item }] : diffValues(prev, item, p)));
  }
  for (const [id, item] of old)
    if (!now.has(id)) changes.push({ path: `${path}[${id}]`, before: item });
  return changes;
}

/**
 * A copy of `before` whose named lists (see MERGE_KEYS) list their items in `after`'s order, items
 * only `before` has last: shown side by side, a reordered list is then no change, as in the plan.
 */
export function alignLists(before: unknown, after: unknown, field = ''): unknown {
  if (isObject(before) && isObject(after)) {
    return Object.fromEntries(
      Object.entries(before).map(([k, v]) => [k, alignLists(v, after[k], k)]),
    );
  }
  const mergeKey = MERGE_KEYS[field];
  if (mergeKey && Array.isArray(before) && Array.isArray(after)) {
    const id = (i: unknown) => (isObject(i) ? String(i[mergeKey]) : undefined);
    const order = new Map(after.map((i, n) => [id(i), n]));
    const rank = (i: unknown) => order.get(id(i)) ?? after.length;
    return [...before]
      .sort((a, b) => rank(a) - rank(b))
      .map((item) =>
        alignLists(
          item,
          after.find((a) => id(a) === id(item)),
          '',
        ),
      );
  }
  return before;
}

/** Structural equality of plain JSON values (key order does not matter). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
