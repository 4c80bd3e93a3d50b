import { type Gvk, isMap, parseApiVersion } from './field-spec.js';

/** Where a resource (or a field of it) was written: file, YAML document and JSON Pointer. */
export interface NodeOrigin {
  file: string;
  docIndex: number;
  pointer: string;
  /** The kustomization that brought this file into the build. */
  kustomization: string;
}

/** The identity kustomize tracks for name references: kind, name and effective namespace. */
export interface ResId {
  kind: string;
  name: string;
  namespace: string;
}

/** A resource in a build: its value plus the bookkeeping kustomize keeps in build annotations. */
export interface Resource {
  value: Record<string, unknown>;
  origin: NodeOrigin;
  /** Ids the resource had before renames (oldest first), kustomize's previousNames/Kinds/Namespaces. */
  prevIds: ResId[];
  prefixes: string[];
  suffixes: string[];
  /** For generated ConfigMaps and Secrets: how to combine with an existing one, and the hash. */
  behavior?: 'create' | 'merge' | 'replace';
  needsHash?: boolean;
  /** Set by patches that may rename (`allowNameChange`). */
  refVarNames?: string[];
}

/** Cluster-scoped kinds kustomize knows (namespace is not set on them). */
const CLUSTER_SCOPED = new Set([
  'APIService',
  'CSIDriver',
  'CSINode',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'CustomResourceDefinition',
  'FlowSchema',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'StorageClass',
  'SubjectAccessReview',
  'TokenReview',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

/**
 * True for kinds that live outside namespaces. With `group`, only Kubernetes' own API groups
 * count (kustomize looks the apiVersion and kind up in its schema: a `Namespace` kind of
 * `servicebus.azure.com` is an ordinary namespaced object).
 */
export function isClusterScoped(kind: string, group?: string): boolean {
  if (!CLUSTER_SCOPED.has(kind)) return false;
  return group === undefined || isKubernetesGroup(group);
}

function isKubernetesGroup(group: string): boolean {
  return group === '' || group === 'policy' || group.endsWith('.k8s.io');
}

export function kindOf(r: Resource): string {
  return typeof r.value.kind === 'string' ? r.value.kind : '';
}

export function gvkOf(r: Resource): Gvk {
  const av = typeof r.value.apiVersion === 'string' ? r.value.apiVersion : '';
  return { ...parseApiVersion(av), kind: kindOf(r) };
}

export function metaOf(r: Resource): Record<string, unknown> {
  if (!isMap(r.value.metadata)) r.value.metadata = {};
  return r.value.metadata as Record<string, unknown>;
}

export function nameOf(r: Resource): string {
  const m = r.value.metadata;
  return isMap(m) && typeof m.name === 'string' ? m.name : '';
}

export function namespaceOf(r: Resource): string {
  const m = r.value.metadata;
  return isMap(m) && typeof m.namespace === 'string' ? m.namespace : '';
}

/** The namespace kustomize compares: `default` for none, `~X` for cluster-scoped kinds. */
export function effectiveNamespace(kind: string, namespace: string): string {
  if (isClusterScoped(kind)) return '_non_namespaceable_';
  return namespace === '' ? 'default' : namespace;
}

export function curId(r: Resource): ResId {
  return { kind: kindOf(r), name: nameOf(r), namespace: namespaceOf(r) };
}

/** The id the resource had when first read (before prefixes, suffixes, namespace, hash). */
export function orgId(r: Resource): ResId {
  return r.prevIds[0] ?? curId(r);
}

/** Records the current id before a rename, as kustomize's StorePreviousId. */
export function storePreviousId(r: Resource): void {
  const id = curId(r);
  r.prevIds.push({
    kind: id.kind,
    name: id.name,
    namespace: effectiveNamespace(id.kind, id.namespace),
  });
}

/**
 * A string equal for two resources exactly when {@link sameCurId} holds (apiVersion, kind,
 * name, effective namespace): clash checks index by it instead of comparing every pair.
 */
export function curIdKey(r: Resource): string {
  const v = r.value;
  const m = v.metadata;
  const kind = typeof v.kind === 'string' ? v.kind : '';
  const av = typeof v.apiVersion === 'string' ? v.apiVersion : '';
  const name = isMap(m) && typeof m.name === 'string' ? m.name : '';
  const ns = isMap(m) && typeof m.namespace === 'string' ? m.namespace : '';
  const gvk = parseApiVersion(av);
  return `${gvk.group}\u0000${gvk.version}\u0000${kind}\u0000${name}\u0000${effectiveNamespace(kind, ns)}`;
}

/** Same group/version/kind, name and effective namespace. */
export function sameCurId(a: Resource, b: Resource): boolean {
  const ga = gvkOf(a);
  const gb = gvkOf(b);
  return (
    ga.group === gb.group &&
    ga.version === gb.version &&
    ga.kind === gb.kind &&
    nameOf(a) === nameOf(b) &&
    effectiveNamespace(ga.kind, namespaceOf(a)) === effectiveNamespace(gb.kind, namespaceOf(b))
  );
}

/** `Kind.version.group/name.namespace`, kustomize's ResId string. */
export function idString(r: Resource): string {
  const g = gvkOf(r);
  const gv = g.group ? `${g.version}.${g.group}` : g.version;
  const ns = namespaceOf(r);
  return `${g.kind}.${gv}/${nameOf(r)}.${ns === '' ? '[noNs]' : ns}`;
}

/** A deep copy of a resource (value and bookkeeping). */
export function copyResource(r: Resource): Resource {
  return {
    ...r,
    value: structuredClone(r.value),
    prevIds: r.prevIds.map((x) => ({ ...x })),
    prefixes: [...r.prefixes],
    suffixes: [...r.suffixes],
  };
}
