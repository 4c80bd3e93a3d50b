import { isMap } from './field-spec.js';
import { RenderError } from './render-error.js';
import { gvkOf, kindOf, nameOf, namespaceOf, type Resource } from './resource.js';

/** Kustomize's legacy order: these kinds first (in this order), webhooks last. */
const ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

/**
 * Sorts resources as `kustomize build --reorder legacy` (and `sortOptions: {order: legacy}`):
 * by kind rank, then by group/version/kind, namespace and name. Stable.
 */
export function legacySort(
  resources: Resource[],
  options: { orderFirst?: string[]; orderLast?: string[] } = {},
): Resource[] {
  const first = options.orderFirst ?? ORDER_FIRST;
  const last = options.orderLast ?? ORDER_LAST;
  const rank = (kind: string) => {
    const f = first.indexOf(kind);
    if (f >= 0) return f - first.length - 1;
    const l = last.indexOf(kind);
    if (l >= 0) return l + 1;
    return 0;
  };
  const key = (r: Resource) => {
    const g = gvkOf(r);
    return `${g.group}~${g.version}~${g.kind}`;
  };
  return resources
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const ra = rank(kindOf(a.r));
      const rb = rank(kindOf(b.r));
      if (ra !== rb) return ra - rb;
      const ka = key(a.r);
      const kb = key(b.r);
      if (ka !== kb) return ka < kb ? -1 : 1;
      const ia = `${namespaceOf(a.r)}|${nameOf(a.r)}`;
      const ib = `${namespaceOf(b.r)}|${nameOf(b.r)}`;
      if (ia !== ib) return ia < ib ? -1 : 1;
      return a.i - b.i;
    })
    .map((x) => x.r);
}

/** Reads a kustomization's `sortOptions`: the order and the legacy kind lists. */
export function sortOptionsOf(raw: unknown): {
  order?: 'legacy' | 'fifo';
  orderFirst?: string[];
  orderLast?: string[];
} {
  if (!isMap(raw)) return {};
  if (raw.order !== 'legacy' && raw.order !== 'fifo')
    throw new RenderError("the field 'sortOptions.order' must be one of [fifo, legacy]");
  if (raw.order === 'fifo' && raw.legacySortOptions !== undefined)
    throw new RenderError(
      "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'",
    );
  const legacy = isMap(raw.legacySortOptions) ? raw.legacySortOptions : {};
  return {
    order: raw.order === 'legacy' ? 'legacy' : raw.order === 'fifo' ? 'fifo' : undefined,
    orderFirst: Array.isArray(legacy.orderFirst) ? legacy.orderFirst.map(String) : undefined,
    orderLast: Array.isArray(legacy.orderLast) ? legacy.orderLast.map(String) : undefined,
  };
}
