/* Generated from schemas/k8s/objects.json by scripts/generate-types.mjs. Do not edit. */

/**
 * Every object kind Berth implements: one schema file per apiVersion/kind.
 */
export type BerthObject =
  | DaemonSet
  | Deployment
  | ReplicaSet
  | StatefulSet
  | CronJob
  | Job
  | ConfigMap
  | Namespace
  | Ingress
  | PersistentVolumeClaim
  | Pod
  | Secret
  | Service;

export interface DaemonSet {
  apiVersion: 'apps/v1';
  kind: 'DaemonSet';
  metadata: ObjectMeta;
  spec: DaemonSetSpec;
}
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: {
    [k: string]: string;
  };
  annotations?: {
    [k: string]: string;
  };
}
export interface DaemonSetSpec {
  selector: LabelSelector;
  template: PodTemplateSpec;
  updateStrategy?: DaemonSetUpdateStrategy;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}
export interface LabelSelector {
  matchLabels?: {
    [k: string]: string;
  };
  matchExpressions?: LabelSelectorRequirement[];
}
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}
export interface PodTemplateSpec {
  metadata?: ObjectMeta;
  spec: PodSpec;
}
export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  volumes?: Volume[];
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds?: number;
  hostname?: string;
  subdomain?: string;
  hostAliases?: HostAlias[];
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  shareProcessNamespace?: boolean;
  securityContext?: PodSecurityContext;
  dnsPolicy?: 'ClusterFirst' | 'Default' | 'None';
  dnsConfig?: PodDNSConfig;
  enableServiceLinks?: boolean;
  imagePullSecrets?: LocalObjectReference[];
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  nodeSelector?: {
    [k: string]: string;
  };
  affinity?: {
    nodeAffinity?: {
      preferredDuringSchedulingIgnoredDuringExecution?: {
        preference: {
          matchExpressions?: {
            key: string;
            operator: string;
            values?: string[];
          }[];
          matchFields?: {
            key: string;
            operator: string;
            values?: string[];
          }[];
        };
        weight: number;
      }[];
      requiredDuringSchedulingIgnoredDuringExecution?: {
        nodeSelectorTerms: {
          matchExpressions?: {
            key: string;
            operator: string;
            values?: string[];
          }[];
          matchFields?: {
            key: string;
            operator: string;
            values?: string[];
          }[];
        }[];
      };
    };
    podAffinity?: {
      preferredDuringSchedulingIgnoredDuringExecution?: {
        podAffinityTerm: {
          labelSelector?: {
            matchExpressions?: {
              key: string;
              operator: string;
              values?: string[];
            }[];
            matchLabels?: {
              [k: string]: string;
            };
          };
          matchLabelKeys?: string[];
          mismatchLabelKeys?: string[];
          namespaceSelector?: {
            matchExpressions?: {
              key: string;
              operator: string;
              values?: string[];
            }[];
            matchLabels?: {
              [k: string]: string;
            };
          };
          namespaces?: string[];
          topologyKey: string;
        };
        weight: number;
      }[];
      requiredDuringSchedulingIgnoredDuringExecution?: {
        labelSelector?: {
          matchExpressions?: {
            key: string;
            operator: string;
            values?: string[];
          }[];
          matchLabels?: {
            [k: string]: string;
          };
        };
        matchLabelKeys?: string[];
        mismatchLabelKeys?: string[];
        namespaceSelector?: {
          matchExpressions?: {
            key: string;
            operator: string;
            values?: string[];
          }[];
          matchLabels?: {
            [k: string]: string;
          };
        };
        namespaces?: string[];
        topologyKey: string;
      }[];
    };
    podAntiAffinity?: {
      preferredDuringSchedulingIgnoredDuringExecution?: {
        podAffinityTerm: {
          labelSelector?: {
            matchExpressions?: {
              key: string;
              operator: string;
              values?: string[];
            }[];
            matchLabels?: {
              [k: string]: string;
            };
          };
          matchLabelKeys?: string[];
          mismatchLabelKeys?: string[];
          namespaceSelector?: {
            matchExpressions?: {
              key: string;
              operator: string;
              values?: string[];
            }[];
            matchLabels?: {
              [k: string]: string;
            };
          };
          namespaces?: string[];
          topologyKey: string;
        };
        weight: number;
      }[];
      requiredDuringSchedulingIgnoredDuringExecution?: {
        labelSelector?: {
          matchExpressions?: {
            key: string;
            operator: string;
            values?: string[];
          }[];
          matchLabels?: {
            [k: string]: string;
          };
        };
        matchLabelKeys?: string[];
        mismatchLabelKeys?: string[];
        namespaceSelector?: {
          matchExpressions?: {
            key: string;
            operator: string;
            values?: string[];
          }[];
          matchLabels?: {
            [k: string]: string;
          };
        };
        namespaces?: string[];
        topologyKey: string;
      }[];
    };
  };
  tolerations?: {
    effect?: string;
    key?: string;
    operator?: string;
    tolerationSeconds?: number;
    value?: string;
  }[];
  priorityClassName?: string;
  topologySpreadConstraints?: {
    labelSelector?: {
      matchExpressions?: {
        key: string;
        operator: string;
        values?: string[];
      }[];
      matchLabels?: {
        [k: string]: string;
      };
    };
    matchLabelKeys?: string[];
    maxSkew: number;
    minDomains?: number;
    nodeAffinityPolicy?: string;
    nodeTaintsPolicy?: string;
    topologyKey: string;
    whenUnsatisfiable: string;
  }[];
}
export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  ports?: ContainerPort[];
  resources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: Lifecycle;
  securityContext?: SecurityContext;
  tty?: boolean;
  stdin?: boolean;
  stdinOnce?: boolean;
  terminationMessagePath?: string;
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
}
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: EnvVarSource;
}
export interface EnvVarSource {
  fieldRef?: ObjectFieldSelector;
  resourceFieldRef?: ResourceFieldSelector;
  configMapKeyRef?: ConfigMapKeySelector;
  secretKeyRef?: SecretKeySelector;
}
export interface ObjectFieldSelector {
  fieldPath: string;
  apiVersion?: string;
}
export interface ResourceFieldSelector {
  containerName?: string;
  resource: string;
  divisor?: string | number;
}
export interface ConfigMapKeySelector {
  name?: string;
  key: string;
  optional?: boolean;
}
export interface SecretKeySelector {
  name?: string;
  key: string;
  optional?: boolean;
}
export interface EnvFromSource {
  configMapRef?: ConfigMapEnvSource;
  secretRef?: SecretEnvSource;
  prefix?: string;
}
export interface ConfigMapEnvSource {
  name?: string;
  optional?: boolean;
}
export interface SecretEnvSource {
  name?: string;
  optional?: boolean;
}
export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: 'TCP' | 'UDP';
  hostPort?: number;
  hostIP?: string;
}
export interface ResourceRequirements {
  limits?: ResourceList;
  requests?: ResourceList;
}
export interface ResourceList {
  cpu?: string | number;
  memory?: string | number;
}
export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}
export interface Probe {
  exec?: ExecAction;
  httpGet?: HTTPGetAction;
  tcpSocket?: TCPSocketAction;
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}
export interface ExecAction {
  command?: string[];
}
export interface HTTPGetAction {
  path?: string;
  port: string | number;
  host?: string;
  scheme?: 'HTTP';
  httpHeaders?: HTTPHeader[];
}
export interface HTTPHeader {
  name: string;
  value: string;
}
export interface TCPSocketAction {
  port: string | number;
  host?: string;
}
export interface Lifecycle {
  postStart?: LifecycleHandler;
  preStop?: LifecycleHandler;
}
export interface LifecycleHandler {
  exec?: ExecAction;
  httpGet?: HTTPGetAction;
  sleep?: SleepAction;
}
export interface SleepAction {
  seconds: number;
}
export interface SecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: Capabilities;
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  seccompProfile?: SeccompProfile;
}
export interface Capabilities {
  add?: string[];
  drop?: string[];
}
export interface SeccompProfile {
  type: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  localhostProfile?: string;
}
export interface Volume {
  name: string;
  emptyDir?: EmptyDirVolumeSource;
  configMap?: ConfigMapVolumeSource;
  secret?: SecretVolumeSource;
  downwardAPI?: DownwardAPIVolumeSource;
  projected?: ProjectedVolumeSource;
  hostPath?: HostPathVolumeSource;
  persistentVolumeClaim?: PersistentVolumeClaimVolumeSource;
}
export interface EmptyDirVolumeSource {
  medium?: '' | 'Memory';
  sizeLimit?: string | number;
}
export interface ConfigMapVolumeSource {
  name?: string;
  items?: KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
}
export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}
export interface SecretVolumeSource {
  secretName?: string;
  items?: KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
}
export interface DownwardAPIVolumeSource {
  items?: DownwardAPIVolumeFile[];
  defaultMode?: number;
}
export interface DownwardAPIVolumeFile {
  path: string;
  fieldRef?: ObjectFieldSelector;
  resourceFieldRef?: ResourceFieldSelector;
  mode?: number;
}
export interface ProjectedVolumeSource {
  sources?: VolumeProjection[];
  defaultMode?: number;
}
export interface VolumeProjection {
  configMap?: ConfigMapProjection;
  secret?: SecretProjection;
  downwardAPI?: DownwardAPIProjection;
}
export interface ConfigMapProjection {
  name?: string;
  items?: KeyToPath[];
  optional?: boolean;
}
export interface SecretProjection {
  name?: string;
  items?: KeyToPath[];
  optional?: boolean;
}
export interface DownwardAPIProjection {
  items?: DownwardAPIVolumeFile[];
}
export interface HostPathVolumeSource {
  path: string;
  type?:
    | ''
    | 'DirectoryOrCreate'
    | 'Directory'
    | 'FileOrCreate'
    | 'File'
    | 'Socket'
    | 'CharDevice'
    | 'BlockDevice';
}
export interface PersistentVolumeClaimVolumeSource {
  claimName: string;
  readOnly?: boolean;
}
export interface HostAlias {
  ip: string;
  hostnames?: string[];
}
export interface PodSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  supplementalGroups?: number[];
  fsGroup?: number;
  seccompProfile?: SeccompProfile;
}
export interface PodDNSConfig {
  nameservers?: string[];
  searches?: string[];
  options?: PodDNSConfigOption[];
}
export interface PodDNSConfigOption {
  name?: string;
  value?: string;
}
export interface LocalObjectReference {
  name?: string;
}
export interface DaemonSetUpdateStrategy {
  type?: 'RollingUpdate' | 'OnDelete';
  rollingUpdate?: RollingUpdateDaemonSet;
}
export interface RollingUpdateDaemonSet {
  maxSurge?: string | number;
  maxUnavailable?: string | number;
}
export interface Deployment {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: ObjectMeta;
  spec: DeploymentSpec;
}
export interface DeploymentSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  strategy?: DeploymentStrategy;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  paused?: boolean;
}
export interface DeploymentStrategy {
  type?: 'RollingUpdate' | 'Recreate';
  rollingUpdate?: RollingUpdateDeployment;
}
export interface RollingUpdateDeployment {
  maxSurge?: string | number;
  maxUnavailable?: string | number;
}
export interface ReplicaSet {
  apiVersion: 'apps/v1';
  kind: 'ReplicaSet';
  metadata: ObjectMeta;
  spec: ReplicaSetSpec;
}
export interface ReplicaSetSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  minReadySeconds?: number;
}
export interface StatefulSet {
  apiVersion: 'apps/v1';
  kind: 'StatefulSet';
  metadata: ObjectMeta;
  spec: StatefulSetSpec;
}
export interface StatefulSetSpec {
  replicas?: number;
  selector: LabelSelector;
  template: PodTemplateSpec;
  serviceName: string;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  updateStrategy?: StatefulSetUpdateStrategy;
  volumeClaimTemplates?: PersistentVolumeClaimTemplate[];
  persistentVolumeClaimRetentionPolicy?: StatefulSetPersistentVolumeClaimRetentionPolicy;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
}
export interface StatefulSetUpdateStrategy {
  type?: 'RollingUpdate' | 'OnDelete';
  rollingUpdate?: RollingUpdateStatefulSetStrategy;
}
export interface RollingUpdateStatefulSetStrategy {
  partition?: number;
}
export interface PersistentVolumeClaimTemplate {
  metadata?: ObjectMeta;
  spec?: PersistentVolumeClaimTemplateSpec;
}
export interface PersistentVolumeClaimTemplateSpec {
  accessModes?: string[];
  resources?: VolumeResourceRequirements;
  storageClassName?: string;
}
export interface VolumeResourceRequirements {
  requests?: {
    [k: string]: string | number;
  };
  limits?: {
    [k: string]: string | number;
  };
}
export interface StatefulSetPersistentVolumeClaimRetentionPolicy {
  whenDeleted?: 'Retain' | 'Delete';
  whenScaled?: 'Retain' | 'Delete';
}
export interface CronJob {
  apiVersion: 'batch/v1';
  kind: 'CronJob';
  metadata: ObjectMeta;
  spec: CronJobSpec;
}
export interface CronJobSpec {
  schedule: string;
  timeZone?: string;
  jobTemplate: JobTemplateSpec;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  startingDeadlineSeconds?: number;
}
export interface JobTemplateSpec {
  metadata?: ObjectMeta;
  spec: JobSpec;
}
export interface JobSpec {
  template: PodTemplateSpec;
  backoffLimit?: number;
  completions?: number;
  parallelism?: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
  suspend?: boolean;
  completionMode?: 'NonIndexed' | 'Indexed';
}
export interface Job {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: ObjectMeta;
  spec: JobSpec;
}
export interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  data?: {
    [k: string]: string;
  };
  binaryData?: {
    [k: string]: string;
  };
  immutable?: boolean;
}
export interface Namespace {
  apiVersion: 'v1';
  kind: 'Namespace';
  metadata: ObjectMeta;
}
export interface Ingress {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'Ingress';
  metadata: ObjectMeta;
  spec?: IngressSpec;
}
export interface IngressSpec {
  ingressClassName?: string;
  defaultBackend?: IngressBackend;
  rules?: IngressRule[];
  tls?: IngressTLS[];
}
export interface IngressBackend {
  service?: IngressServiceBackend;
}
export interface IngressServiceBackend {
  name: string;
  port?: ServiceBackendPort;
}
export interface ServiceBackendPort {
  name?: string;
  number?: number;
}
export interface IngressRule {
  host?: string;
  http?: HTTPIngressRuleValue;
}
export interface HTTPIngressRuleValue {
  paths: HTTPIngressPath[];
}
export interface HTTPIngressPath {
  path?: string;
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  backend: IngressBackend;
}
export interface IngressTLS {
  hosts?: string[];
  secretName?: string;
}
export interface PersistentVolumeClaim {
  apiVersion: 'v1';
  kind: 'PersistentVolumeClaim';
  metadata: ObjectMeta;
  spec?: PersistentVolumeClaimSpec;
}
export interface PersistentVolumeClaimSpec {
  accessModes?: ('ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod')[];
  resources?: VolumeResourceRequirements;
  storageClassName?: string;
  volumeMode?: 'Filesystem';
}
export interface Pod {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: ObjectMeta;
  spec: PodSpec;
}
export interface Secret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: ObjectMeta;
  data?: {
    [k: string]: string;
  };
  stringData?: {
    [k: string]: string;
  };
  type?: string;
  immutable?: boolean;
}
export interface Service {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: ObjectMeta;
  spec?: ServiceSpec;
}
export interface ServiceSpec {
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  selector?: {
    [k: string]: string;
  };
  ports?: ServicePort[];
  clusterIP?: string;
  publishNotReadyAddresses?: boolean;
}
export interface ServicePort {
  name?: string;
  protocol?: 'TCP' | 'UDP';
  port: number;
  targetPort?: string | number;
  nodePort?: number;
}
