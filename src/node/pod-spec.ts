/**
 * The Pod types the node layer consumes: the generated ones (src/manifests/generated, from
 * schemas/k8s and schemas/k8s-status.json), re-exported under their Kubernetes names, and the
 * node's own view of a Pod (below).
 */

export type {
  ConfigMap,
  Container,
  ContainerPort,
  DownwardAPIVolumeFile,
  EnvFromSource,
  EnvVar,
  EnvVarSource,
  ExecAction,
  HostAlias,
  HTTPGetAction,
  KeyToPath,
  Lifecycle,
  LifecycleHandler,
  ObjectFieldSelector,
  PodDNSConfig,
  PodSecurityContext,
  PodSpec,
  Probe,
  ResourceFieldSelector,
  ResourceRequirements,
  SeccompProfile,
  Secret,
  SecurityContext,
  TCPSocketAction,
  Volume,
  VolumeMount,
  VolumeProjection,
} from '../manifests/generated/k8s-objects.js';
export type {
  ContainerState,
  ContainerStateRunning,
  ContainerStateTerminated,
  ContainerStateWaiting,
  ContainerStatus,
  PodCondition,
  PodStatus,
} from '../manifests/generated/k8s-status.js';

import type { PodSpec } from '../manifests/generated/k8s-objects.js';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * A Pod as the node runs it: the generated PodSpec and the metadata the node reads. Not the
 * stored Pod (`Stored<'Pod'>`): `uid` is optional, as a pod the node is handed outside the
 * store (tests, benches) has none; {@link podUid} derives one then.
 */
export interface Pod {
  apiVersion?: 'v1';
  kind?: 'Pod';
  metadata: ObjectMeta;
  spec: PodSpec;
}
