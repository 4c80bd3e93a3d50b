// What Berth does with each apiVersion/kind it can meet in a repository.

/** A kind Berth implements: its schema file under schemas/k8s/ and its scope. */
export interface SupportedKind {
  apiVersion: string;
  kind: string;
  /** File name under schemas/k8s/. */
  schema: string;
  namespaced: boolean;
}

/** The kinds Berth implements, keyed `apiVersion kind`. */
export const SUPPORTED_KINDS: ReadonlyMap<string, SupportedKind> = new Map(
  (
    [
      ['v1', 'Namespace', 'namespace-v1.json', false],
      ['v1', 'Pod', 'pod-v1.json', true],
      ['v1', 'Service', 'service-v1.json', true],
      ['v1', 'ConfigMap', 'configmap-v1.json', true],
      ['v1', 'Secret', 'secret-v1.json', true],
      ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaim-v1.json', true],
      ['apps/v1', 'Deployment', 'apps-v1-deployment.json', true],
      ['apps/v1', 'ReplicaSet', 'apps-v1-replicaset.json', true],
      ['apps/v1', 'StatefulSet', 'apps-v1-statefulset.json', true],
      ['apps/v1', 'DaemonSet', 'apps-v1-daemonset.json', true],
      ['batch/v1', 'Job', 'batch-v1-job.json', true],
      ['batch/v1', 'CronJob', 'batch-v1-cronjob.json', true],
      ['networking.k8s.io/v1', 'Ingress', 'networking-v1-ingress.json', true],
    ] as const
  ).map(([apiVersion, kind, schema, namespaced]) => [
    `${apiVersion} ${kind}`,
    { apiVersion, kind, schema, namespaced },
  ]),
);

/**
 * Kubernetes kinds with no effect on a single container host: ignored with one warning
 * (rejected with `--strict`) until Berth implements them. Any current apiVersion of them.
 */
export const NO_EFFECT_KINDS: ReadonlySet<string> = new Set([
  'ServiceAccount',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'NetworkPolicy',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'LimitRange',
  'ResourceQuota',
]);

/** apiVersions Kubernetes has removed, per kind (`*`: every kind), with what replaces them. */
const REMOVED: ReadonlyArray<[apiVersion: string, kind: string, replacement: string]> = [
  ['extensions/v1beta1', 'Ingress', 'networking.k8s.io/v1'],
  ['extensions/v1beta1', 'NetworkPolicy', 'networking.k8s.io/v1'],
  ['extensions/v1beta1', 'PodSecurityPolicy', 'Pod Security Admission (namespace labels)'],
  ['extensions/v1beta1', '*', 'apps/v1'],
  ['apps/v1beta1', '*', 'apps/v1'],
  ['apps/v1beta2', '*', 'apps/v1'],
  ['batch/v1beta1', '*', 'batch/v1'],
  ['batch/v2alpha1', '*', 'batch/v1'],
  ['networking.k8s.io/v1beta1', '*', 'networking.k8s.io/v1'],
  ['policy/v1beta1', 'PodSecurityPolicy', 'Pod Security Admission (namespace labels)'],
  ['policy/v1beta1', '*', 'policy/v1'],
  ['autoscaling/v2beta1', '*', 'autoscaling/v2'],
  ['autoscaling/v2beta2', '*', 'autoscaling/v2'],
  ['rbac.authorization.k8s.io/v1beta1', '*', 'rbac.authorization.k8s.io/v1'],
  ['rbac.authorization.k8s.io/v1alpha1', '*', 'rbac.authorization.k8s.io/v1'],
  ['apiextensions.k8s.io/v1beta1', '*', 'apiextensions.k8s.io/v1'],
  ['admissionregistration.k8s.io/v1beta1', '*', 'admissionregistration.k8s.io/v1'],
  ['storage.k8s.io/v1beta1', '*', 'storage.k8s.io/v1'],
  ['scheduling.k8s.io/v1beta1', '*', 'scheduling.k8s.io/v1'],
  ['scheduling.k8s.io/v1alpha1', '*', 'scheduling.k8s.io/v1'],
  ['certificates.k8s.io/v1beta1', '*', 'certificates.k8s.io/v1'],
  ['coordination.k8s.io/v1beta1', '*', 'coordination.k8s.io/v1'],
  ['discovery.k8s.io/v1beta1', '*', 'discovery.k8s.io/v1'],
  ['events.k8s.io/v1beta1', '*', 'events.k8s.io/v1'],
  ['node.k8s.io/v1beta1', '*', 'node.k8s.io/v1'],
  ['flowcontrol.apiserver.k8s.io/v1beta1', '*', 'flowcontrol.apiserver.k8s.io/v1'],
  ['flowcontrol.apiserver.k8s.io/v1beta2', '*', 'flowcontrol.apiserver.k8s.io/v1'],
];

/** What replaces a removed apiVersion of `kind`, or null when `apiVersion` is not removed. */
export function removedApiReplacement(apiVersion: string, kind: string): string | null {
  for (const [v, k, replacement] of REMOVED) {
    if (v === apiVersion && (k === kind || k === '*')) return replacement;
  }
  return null;
}

/** True when `apiVersion` belongs to Kubernetes itself (core or a `*.k8s.io` / dotless group). */
export function isBuiltInApiVersion(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  if (slash < 0) return true;
  const group = apiVersion.slice(0, slash);
  return !group.includes('.') || group.endsWith('.k8s.io');
}

/** How Berth treats one apiVersion/kind. */
export type KindVerdict =
  | { type: 'supported'; kind: SupportedKind }
  | { type: 'no-effect' }
  | { type: 'removed'; replacement: string }
  | { type: 'ignored' }
  | { type: 'unsupported' }
  | { type: 'unknown' };

/** Classifies an apiVersion/kind; `ignoredKinds` holds `apiVersion kind` pairs from policy. */
export function classifyKind(
  apiVersion: string,
  kind: string,
  ignoredKinds: ReadonlySet<string>,
): KindVerdict {
  const key = `${apiVersion} ${kind}`;
  const supported = SUPPORTED_KINDS.get(key);
  if (supported) return { type: 'supported', kind: supported };
  const replacement = removedApiReplacement(apiVersion, kind);
  if (replacement) return { type: 'removed', replacement };
  if (ignoredKinds.has(key)) return { type: 'ignored' };
  if (isBuiltInApiVersion(apiVersion)) {
    return NO_EFFECT_KINDS.has(kind) ? { type: 'no-effect' } : { type: 'unsupported' };
  }
  return { type: 'unknown' };
}

/** Kubernetes kinds Berth does not run that are cluster-wide (named without a namespace in messages). */
const CLUSTER_SCOPED = new Set([
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'IngressClass',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'RuntimeClass',
  'Node',
  'APIService',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'GatewayClass',
  'CSIDriver',
  'VolumeAttachment',
]);

/** The scope of a kind: Namespace among Berth's kinds; for others, Kubernetes' own scope. */
export function isNamespaced(apiVersion: string, kind: string): boolean {
  const supported = SUPPORTED_KINDS.get(`${apiVersion} ${kind}`);
  if (supported) return supported.namespaced;
  return !CLUSTER_SCOPED.has(kind);
}
