/**
 * The order objects are applied in: what others refer to comes first (Namespaces, then
 * configuration and storage, then workloads, then what routes to them). Deletions run in the
 * reverse order. Kinds not listed sort after the listed ones, by name.
 */
export const KIND_ORDER: readonly string[] = [
  'Namespace',
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Pod',
  'Job',
  'CronJob',
  'Service',
  'Ingress',
];

/** Rank of a kind in {@link KIND_ORDER}. */
export function kindRank(kind: string): number {
  const i = KIND_ORDER.indexOf(kind);
  return i < 0 ? KIND_ORDER.length : i;
}
