#!/usr/bin/env node
// Generates Berth's manifest schemas (schemas/k8s/*.json) from two inputs:
//   1. the list below of the fields Berth implements, per Kubernetes type (written for Berth:
//      this is the contract with the node, network and controller layers), plus Berth's own
//      narrower enums (protocol TCP|UDP, scheme HTTP, dnsPolicy...);
//   2. the upstream Kubernetes strict JSON Schemas (default ../shared/corpus/k8s-schemas/...),
//      which give each kept field its exact Kubernetes type, format and required list, so
//      Berth never accepts a shape Kubernetes rejects.
// Shared types live in defs-meta.json and defs-pod.json and are reached by $ref.
// Run once when the list changes, then `npm run generate` for the TypeScript types:
//   node scripts/generate-k8s-schemas.mjs [--check] [DIR]
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

// --check: compare with the committed file (as JSON: formatting may differ) instead of writing.
const check = process.argv.includes('--check');
async function emit(file, value, text) {
  if (!check) {
    await writeFile(file, text);
    console.log(`wrote ${file}`);
    return;
  }
  const current = await readFile(file, 'utf8').then(JSON.parse, () => undefined);
  if (!isDeepStrictEqual(current, value)) {
    console.error(`${file} is out of date: run node ${process.argv[1]}`);
    process.exitCode = 1;
  }
}

const dir = path.resolve(
  process.argv.slice(2).find((a) => !a.startsWith('--')) ??
    '../shared/corpus/k8s-schemas/v1.32.2-standalone-strict',
);
const upstream = async (file) => JSON.parse(await readFile(path.join(dir, file), 'utf8'));

// Field lists. `true`: keep the upstream shape; a string: a named Berth type (in the file it
// is listed under); an object: `{ $type, enum?, ... }` overrides merged into the kept shape.
const META = {
  ObjectMeta: { name: true, namespace: true, labels: true, annotations: true },
  LabelSelector: { matchLabels: true, matchExpressions: 'LabelSelectorRequirement' },
  LabelSelectorRequirement: {
    key: true,
    operator: { enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
    values: true,
  },
};
const handler = { exec: 'ExecAction', httpGet: 'HTTPGetAction', tcpSocket: 'TCPSocketAction' };
const POD = {
  PodTemplateSpec: { metadata: 'defs-meta.json#ObjectMeta', spec: 'PodSpec' },
  PodSpec: {
    containers: 'Container',
    initContainers: 'Container',
    volumes: 'Volume',
    restartPolicy: { enum: ['Always', 'OnFailure', 'Never'] },
    terminationGracePeriodSeconds: true,
    hostname: true,
    subdomain: true,
    hostAliases: 'HostAlias',
    hostNetwork: true,
    hostPID: true,
    hostIPC: true,
    shareProcessNamespace: true,
    securityContext: 'PodSecurityContext',
    dnsPolicy: { enum: ['ClusterFirst', 'Default', 'None'] },
    dnsConfig: 'PodDNSConfig',
    enableServiceLinks: true,
    imagePullSecrets: 'LocalObjectReference',
    // Scheduling only: accepted (upstream shape) with a warning.
    serviceAccountName: true,
    automountServiceAccountToken: true,
    nodeSelector: true,
    affinity: true,
    tolerations: true,
    priorityClassName: true,
    topologySpreadConstraints: true,
  },
  HostAlias: { ip: true, hostnames: true },
  LocalObjectReference: { name: true },
  PodDNSConfig: { nameservers: true, searches: true, options: 'PodDNSConfigOption' },
  PodDNSConfigOption: { name: true, value: true },
  PodSecurityContext: {
    runAsUser: true,
    runAsGroup: true,
    runAsNonRoot: true,
    supplementalGroups: true,
    fsGroup: true,
    seccompProfile: 'SeccompProfile',
  },
  SeccompProfile: {
    type: { enum: ['RuntimeDefault', 'Unconfined', 'Localhost'] },
    localhostProfile: true,
  },
  Container: {
    name: true,
    image: true,
    imagePullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
    command: true,
    args: true,
    workingDir: true,
    env: 'EnvVar',
    envFrom: 'EnvFromSource',
    ports: 'ContainerPort',
    resources: 'ResourceRequirements',
    volumeMounts: 'VolumeMount',
    livenessProbe: 'Probe',
    readinessProbe: 'Probe',
    startupProbe: 'Probe',
    lifecycle: 'Lifecycle',
    securityContext: 'SecurityContext',
    tty: true,
    stdin: true,
    stdinOnce: true,
    terminationMessagePath: true,
    terminationMessagePolicy: { enum: ['File', 'FallbackToLogsOnError'] },
  },
  EnvVar: { name: true, value: true, valueFrom: 'EnvVarSource' },
  EnvVarSource: {
    fieldRef: 'ObjectFieldSelector',
    resourceFieldRef: 'ResourceFieldSelector',
    configMapKeyRef: 'ConfigMapKeySelector',
    secretKeyRef: 'SecretKeySelector',
  },
  ObjectFieldSelector: { fieldPath: true, apiVersion: true },
  ResourceFieldSelector: { containerName: true, resource: true, divisor: true },
  ConfigMapKeySelector: { name: true, key: true, optional: true },
  SecretKeySelector: { name: true, key: true, optional: true },
  EnvFromSource: {
    configMapRef: 'ConfigMapEnvSource',
    secretRef: 'SecretEnvSource',
    prefix: true,
  },
  ConfigMapEnvSource: { name: true, optional: true },
  SecretEnvSource: { name: true, optional: true },
  ContainerPort: {
    name: true,
    containerPort: { minimum: 1, maximum: 65535 },
    protocol: { enum: ['TCP', 'UDP'] },
    hostPort: { minimum: 1, maximum: 65535 },
    hostIP: true,
  },
  ResourceRequirements: { limits: 'ResourceList', requests: 'ResourceList' },
  VolumeMount: { name: true, mountPath: true, readOnly: true, subPath: true },
  Probe: {
    ...handler,
    initialDelaySeconds: true,
    periodSeconds: true,
    timeoutSeconds: true,
    successThreshold: true,
    failureThreshold: true,
    terminationGracePeriodSeconds: true,
  },
  ExecAction: { command: true },
  HTTPGetAction: {
    path: true,
    port: true,
    host: true,
    scheme: { enum: ['HTTP'] },
    httpHeaders: 'HTTPHeader',
  },
  HTTPHeader: { name: true, value: true },
  TCPSocketAction: { port: true, host: true },
  Lifecycle: { postStart: 'LifecycleHandler', preStop: 'LifecycleHandler' },
  LifecycleHandler: { exec: 'ExecAction', httpGet: 'HTTPGetAction', sleep: 'SleepAction' },
  SleepAction: { seconds: true },
  SecurityContext: {
    runAsUser: true,
    runAsGroup: true,
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    capabilities: 'Capabilities',
    privileged: true,
    allowPrivilegeEscalation: true,
    seccompProfile: 'SeccompProfile',
  },
  Capabilities: { add: true, drop: true },
  Volume: {
    name: true,
    emptyDir: 'EmptyDirVolumeSource',
    configMap: 'ConfigMapVolumeSource',
    secret: 'SecretVolumeSource',
    downwardAPI: 'DownwardAPIVolumeSource',
    projected: 'ProjectedVolumeSource',
    hostPath: 'HostPathVolumeSource',
    persistentVolumeClaim: 'PersistentVolumeClaimVolumeSource',
  },
  EmptyDirVolumeSource: { medium: { enum: ['', 'Memory'] }, sizeLimit: true },
  KeyToPath: { key: true, path: true, mode: true },
  ConfigMapVolumeSource: { name: true, items: 'KeyToPath', defaultMode: true, optional: true },
  SecretVolumeSource: { secretName: true, items: 'KeyToPath', defaultMode: true, optional: true },
  DownwardAPIVolumeFile: {
    path: true,
    fieldRef: 'ObjectFieldSelector',
    resourceFieldRef: 'ResourceFieldSelector',
    mode: true,
  },
  DownwardAPIVolumeSource: { items: 'DownwardAPIVolumeFile', defaultMode: true },
  DownwardAPIProjection: { items: 'DownwardAPIVolumeFile' },
  ConfigMapProjection: { name: true, items: 'KeyToPath', optional: true },
  SecretProjection: { name: true, items: 'KeyToPath', optional: true },
  VolumeProjection: {
    configMap: 'ConfigMapProjection',
    secret: 'SecretProjection',
    downwardAPI: 'DownwardAPIProjection',
  },
  ProjectedVolumeSource: { sources: 'VolumeProjection', defaultMode: true },
  HostPathVolumeSource: {
    path: true,
    type: {
      enum: [
        '',
        'DirectoryOrCreate',
        'Directory',
        'FileOrCreate',
        'File',
        'Socket',
        'CharDevice',
        'BlockDevice',
      ],
    },
  },
  PersistentVolumeClaimVolumeSource: { claimName: true, readOnly: true },
};
/** cpu and memory only (a map upstream). */
const RESOURCE_LIST = 'ResourceList';

const top = (spec) => ({ metadata: 'defs-meta.json#ObjectMeta', ...spec });
const template = 'defs-pod.json#PodTemplateSpec';
const selector = 'defs-meta.json#LabelSelector';
const KINDS = [
  { file: 'namespace-v1.json', up: 'namespace-v1.json', types: { Namespace: top({}) } },
  {
    file: 'configmap-v1.json',
    up: 'configmap-v1.json',
    types: { ConfigMap: top({ data: true, binaryData: true, immutable: true }) },
  },
  {
    file: 'secret-v1.json',
    up: 'secret-v1.json',
    types: { Secret: top({ data: true, stringData: true, type: true, immutable: true }) },
  },
  {
    file: 'persistentvolumeclaim-v1.json',
    up: 'persistentvolumeclaim-v1.json',
    types: {
      PersistentVolumeClaim: top({ spec: 'PersistentVolumeClaimSpec' }),
      PersistentVolumeClaimSpec: {
        accessModes: {
          items: { enum: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] },
        },
        resources: 'VolumeResourceRequirements',
        storageClassName: true,
        volumeMode: { enum: ['Filesystem'] },
      },
      VolumeResourceRequirements: { requests: true, limits: true },
    },
  },
  {
    file: 'pod-v1.json',
    up: 'pod-v1.json',
    types: { Pod: top({ spec: 'defs-pod.json#PodSpec' }) },
  },
  {
    file: 'service-v1.json',
    up: 'service-v1.json',
    types: {
      Service: top({ spec: 'ServiceSpec' }),
      ServiceSpec: {
        type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] },
        selector: true,
        ports: 'ServicePort',
        clusterIP: true,
        publishNotReadyAddresses: true,
      },
      ServicePort: {
        name: true,
        protocol: { enum: ['TCP', 'UDP'] },
        port: { minimum: 1, maximum: 65535 },
        targetPort: true,
        nodePort: true,
      },
    },
  },
  {
    file: 'apps-v1-deployment.json',
    up: 'deployment-apps-v1.json',
    types: {
      Deployment: top({ spec: 'DeploymentSpec' }),
      DeploymentSpec: {
        replicas: { minimum: 0 },
        selector,
        template,
        strategy: 'DeploymentStrategy',
        minReadySeconds: true,
        revisionHistoryLimit: true,
        progressDeadlineSeconds: true,
        paused: true,
      },
      DeploymentStrategy: {
        type: { enum: ['RollingUpdate', 'Recreate'] },
        rollingUpdate: 'RollingUpdateDeployment',
      },
      RollingUpdateDeployment: { maxSurge: true, maxUnavailable: true },
    },
  },
  {
    file: 'apps-v1-replicaset.json',
    up: 'replicaset-apps-v1.json',
    types: {
      ReplicaSet: top({ spec: 'ReplicaSetSpec' }),
      ReplicaSetSpec: { replicas: { minimum: 0 }, selector, template, minReadySeconds: true },
    },
  },
  {
    file: 'apps-v1-statefulset.json',
    up: 'statefulset-apps-v1.json',
    types: {
      StatefulSet: top({ spec: 'StatefulSetSpec' }),
      StatefulSetSpec: {
        replicas: { minimum: 0 },
        selector,
        template,
        serviceName: true,
        podManagementPolicy: { enum: ['OrderedReady', 'Parallel'] },
        updateStrategy: 'StatefulSetUpdateStrategy',
        volumeClaimTemplates: 'PersistentVolumeClaimTemplate',
        persistentVolumeClaimRetentionPolicy: 'StatefulSetPersistentVolumeClaimRetentionPolicy',
        minReadySeconds: true,
        revisionHistoryLimit: true,
      },
      StatefulSetPersistentVolumeClaimRetentionPolicy: {
        whenDeleted: { enum: ['Retain', 'Delete'] },
        whenScaled: { enum: ['Retain', 'Delete'] },
      },
      StatefulSetUpdateStrategy: {
        type: { enum: ['RollingUpdate', 'OnDelete'] },
        rollingUpdate: 'RollingUpdateStatefulSetStrategy',
      },
      RollingUpdateStatefulSetStrategy: { partition: true },
      PersistentVolumeClaimTemplate: top({ spec: 'PersistentVolumeClaimTemplateSpec' }),
      PersistentVolumeClaimTemplateSpec: {
        accessModes: true,
        resources: 'persistentvolumeclaim-v1.json#VolumeResourceRequirements',
        storageClassName: true,
      },
    },
  },
  {
    file: 'apps-v1-daemonset.json',
    up: 'daemonset-apps-v1.json',
    types: {
      DaemonSet: top({ spec: 'DaemonSetSpec' }),
      DaemonSetSpec: {
        selector,
        template,
        updateStrategy: 'DaemonSetUpdateStrategy',
        minReadySeconds: true,
        revisionHistoryLimit: true,
      },
      DaemonSetUpdateStrategy: {
        type: { enum: ['RollingUpdate', 'OnDelete'] },
        rollingUpdate: 'RollingUpdateDaemonSet',
      },
      RollingUpdateDaemonSet: { maxSurge: true, maxUnavailable: true },
    },
  },
  {
    file: 'batch-v1-job.json',
    up: 'job-batch-v1.json',
    types: {
      Job: top({ spec: 'JobSpec' }),
      JobSpec: {
        template,
        backoffLimit: true,
        completions: true,
        parallelism: true,
        activeDeadlineSeconds: true,
        ttlSecondsAfterFinished: true,
        suspend: true,
        completionMode: { enum: ['NonIndexed', 'Indexed'] },
      },
    },
  },
  {
    file: 'batch-v1-cronjob.json',
    up: 'cronjob-batch-v1.json',
    types: {
      CronJob: top({ spec: 'CronJobSpec' }),
      CronJobSpec: {
        schedule: true,
        timeZone: true,
        jobTemplate: 'JobTemplateSpec',
        concurrencyPolicy: { enum: ['Allow', 'Forbid', 'Replace'] },
        suspend: true,
        successfulJobsHistoryLimit: true,
        failedJobsHistoryLimit: true,
        startingDeadlineSeconds: true,
      },
      JobTemplateSpec: { metadata: 'defs-meta.json#ObjectMeta', spec: 'batch-v1-job.json#JobSpec' },
    },
  },
  {
    file: 'networking-v1-ingress.json',
    up: 'ingress-networking-v1.json',
    types: {
      Ingress: top({ spec: 'IngressSpec' }),
      IngressSpec: {
        ingressClassName: true,
        defaultBackend: 'IngressBackend',
        rules: 'IngressRule',
        tls: 'IngressTLS',
      },
      IngressBackend: { service: 'IngressServiceBackend' },
      IngressServiceBackend: { name: true, port: 'ServiceBackendPort' },
      ServiceBackendPort: { name: true, number: true },
      IngressRule: { host: true, http: 'HTTPIngressRuleValue' },
      HTTPIngressRuleValue: { paths: 'HTTPIngressPath' },
      HTTPIngressPath: {
        path: true,
        pathType: { enum: ['Exact', 'Prefix', 'ImplementationSpecific'] },
        backend: 'IngressBackend',
      },
      IngressTLS: { hosts: true, secretName: true },
    },
  },
];

// What Berth's controllers write, never read from Git (so never validated): each kind's
// `status` and the Endpoints objects, emitted to schemas/k8s-status.json for the TypeScript
// types only. Same field lists as above, plus `$required` (fields Berth always writes, so
// its readers need not guess) and `{ $berth: schema }` (a field Berth writes that the
// upstream 1.32 schema has not: newer Kubernetes fields, and the Service's allocations).
const TRUTH = { enum: ['True', 'False', 'Unknown'] };
const int = { type: 'integer', format: 'int32' };
const STATUS_FILE = 'k8s-status.json';
const CONDITION = {
  type: true,
  status: TRUTH,
  reason: true,
  message: true,
  lastTransitionTime: true,
};
const STATUS = {
  DeploymentStatus: {
    observedGeneration: true,
    replicas: true,
    updatedReplicas: true,
    readyReplicas: true,
    availableReplicas: true,
    unavailableReplicas: true,
    conditions: 'DeploymentCondition',
    $required: [
      'observedGeneration',
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
      'conditions',
    ],
  },
  DeploymentCondition: {
    ...CONDITION,
    type: { enum: ['Available', 'Progressing', 'ReplicaFailure'] },
    lastUpdateTime: true,
    $required: ['reason', 'message', 'lastTransitionTime', 'lastUpdateTime'],
  },
  ReplicaSetStatus: {
    observedGeneration: true,
    replicas: true,
    fullyLabeledReplicas: true,
    readyReplicas: true,
    availableReplicas: true,
    // Kubernetes 1.35's field (DeploymentReplicaSetTerminatingReplicas): pods being deleted.
    terminatingReplicas: { $berth: int },
    conditions: 'ReplicaSetCondition',
    $required: ['observedGeneration', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
  },
  ReplicaSetCondition: CONDITION,
  StatefulSetStatus: {
    observedGeneration: true,
    replicas: true,
    readyReplicas: true,
    currentReplicas: true,
    updatedReplicas: true,
    currentRevision: true,
    updateRevision: true,
    collisionCount: true,
    availableReplicas: true,
    $required: [
      'observedGeneration',
      'readyReplicas',
      'currentReplicas',
      'updatedReplicas',
      'currentRevision',
      'updateRevision',
      'collisionCount',
      'availableReplicas',
    ],
  },
  DaemonSetStatus: {
    observedGeneration: true,
    desiredNumberScheduled: true,
    currentNumberScheduled: true,
    numberMisscheduled: true,
    numberReady: true,
    numberAvailable: true,
    numberUnavailable: true,
    updatedNumberScheduled: true,
    $required: [
      'observedGeneration',
      'numberAvailable',
      'numberUnavailable',
      'updatedNumberScheduled',
    ],
  },
  JobStatus: {
    conditions: 'JobCondition',
    startTime: true,
    completionTime: true,
    active: true,
    ready: true,
    succeeded: true,
    failed: true,
    completedIndexes: true,
    $required: ['ready'],
  },
  JobCondition: {
    ...CONDITION,
    type: { enum: ['Complete', 'Failed', 'Suspended'] },
    status: { enum: ['True', 'False'] },
    lastProbeTime: true,
    $required: ['lastProbeTime', 'lastTransitionTime'],
  },
  CronJobStatus: { active: 'JobReference', lastScheduleTime: true, lastSuccessfulTime: true },
  // core/v1 ObjectReference, as a CronJob's status.active[] names its Jobs.
  JobReference: {
    apiVersion: { enum: ['batch/v1'] },
    kind: { enum: ['Job'] },
    name: true,
    namespace: true,
    uid: true,
    $required: ['apiVersion', 'kind', 'name', 'namespace', 'uid'],
  },
  PodStatus: {
    phase: { enum: ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] },
    conditions: 'PodCondition',
    message: true,
    reason: true,
    hostIP: true,
    podIP: true,
    podIPs: 'PodIP',
    startTime: true,
    initContainerStatuses: 'ContainerStatus',
    containerStatuses: 'ContainerStatus',
    $required: ['phase', 'conditions', 'initContainerStatuses', 'containerStatuses'],
  },
  PodIP: { ip: true },
  PodCondition: {
    ...CONDITION,
    type: { enum: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'] },
  },
  ContainerStatus: {
    name: true,
    state: 'ContainerState',
    lastState: 'ContainerState',
    ready: true,
    started: true,
    restartCount: true,
    image: true,
    imageID: true,
    containerID: true,
    $required: ['state', 'lastState'],
  },
  ContainerState: {
    waiting: 'ContainerStateWaiting',
    running: 'ContainerStateRunning',
    terminated: 'ContainerStateTerminated',
  },
  ContainerStateWaiting: { reason: true, message: true },
  ContainerStateRunning: { startedAt: true },
  ContainerStateTerminated: {
    exitCode: true,
    signal: true,
    reason: true,
    message: true,
    startedAt: true,
    finishedAt: true,
    containerID: true,
  },
  // Kubernetes shows a Service's allocated ClusterIP and NodePorts in `spec`; Berth keeps them
  // in `status`, so the object from Git stays as written (docs/network.md).
  ServiceStatus: {
    observedGeneration: { $berth: { type: 'integer', format: 'int64' } },
    clusterIP: { $berth: { type: 'string' } },
    clusterIPs: { $berth: { type: 'array', items: { type: 'string' } } },
    ports: {
      $berth: {
        type: 'array',
        items: {
          title: 'ServiceStatusPort',
          type: 'object',
          properties: {
            name: { type: 'string' },
            port: int,
            protocol: { enum: ['TCP', 'UDP', 'SCTP'] },
            nodePort: int,
          },
          required: ['name', 'port', 'protocol'],
          additionalProperties: false,
        },
      },
    },
    loadBalancer: 'LoadBalancerStatus',
    conditions: 'ServiceCondition',
    $required: ['observedGeneration', 'ports', 'loadBalancer', 'conditions'],
  },
  ServiceCondition: { ...CONDITION, status: { enum: ['True', 'False'] } },
  LoadBalancerStatus: { ingress: 'LoadBalancerIngress' },
  LoadBalancerIngress: { ip: true, ports: 'PortStatus', $required: ['ip', 'ports'] },
  PortStatus: { port: true, protocol: true },
  IngressStatus: { loadBalancer: 'IngressLoadBalancerStatus' },
  IngressLoadBalancerStatus: { ingress: 'IngressLoadBalancerIngress' },
  IngressLoadBalancerIngress: { ip: true, ports: 'IngressPortStatus' },
  IngressPortStatus: { port: true, protocol: true },
  PersistentVolumeClaimStatus: {
    phase: { enum: ['Pending', 'Bound', 'Lost'] },
    accessModes: true,
    // The storage the claim asked for (a quantity), as Berth binds at once.
    capacity: {
      $berth: { type: 'object', properties: { storage: { type: ['string', 'number'] } } },
    },
  },
  NamespaceStatus: { phase: { enum: ['Active', 'Terminating'] } },
};
/** kind -> [upstream file, its status type]. */
const STATUS_OF = {
  Deployment: ['deployment-apps-v1.json', 'DeploymentStatus'],
  ReplicaSet: ['replicaset-apps-v1.json', 'ReplicaSetStatus'],
  StatefulSet: ['statefulset-apps-v1.json', 'StatefulSetStatus'],
  DaemonSet: ['daemonset-apps-v1.json', 'DaemonSetStatus'],
  Job: ['job-batch-v1.json', 'JobStatus'],
  CronJob: ['cronjob-batch-v1.json', 'CronJobStatus'],
  Pod: ['pod-v1.json', 'PodStatus'],
  Service: ['service-v1.json', 'ServiceStatus'],
  Ingress: ['ingress-networking-v1.json', 'IngressStatus'],
  PersistentVolumeClaim: ['persistentvolumeclaim-v1.json', 'PersistentVolumeClaimStatus'],
  Namespace: ['namespace-v1.json', 'NamespaceStatus'],
};
// core/v1 Endpoints (not in the upstream set Berth reads): the Service controller writes one
// per Service; the DNS server and the proxies read it. Written for Berth from the Kubernetes
// API reference, with the fields Berth writes.
const ENDPOINTS = {
  EndpointSubset: {
    title: 'EndpointSubset',
    type: 'object',
    properties: {
      addresses: { type: 'array', items: { $ref: '#/$defs/EndpointAddress' } },
      notReadyAddresses: { type: 'array', items: { $ref: '#/$defs/EndpointAddress' } },
      ports: { type: 'array', items: { $ref: '#/$defs/EndpointPort' } },
    },
    required: ['ports'],
    additionalProperties: false,
  },
  EndpointAddress: {
    title: 'EndpointAddress',
    type: 'object',
    properties: {
      ip: { type: 'string' },
      hostname: { type: 'string' },
      targetRef: {
        title: 'EndpointTargetRef',
        type: 'object',
        properties: {
          kind: { const: 'Pod' },
          name: { type: 'string' },
          namespace: { type: 'string' },
          uid: { type: 'string' },
        },
        required: ['kind', 'name', 'namespace', 'uid'],
        additionalProperties: false,
      },
    },
    required: ['ip', 'targetRef'],
    additionalProperties: false,
  },
  EndpointPort: {
    title: 'EndpointPort',
    type: 'object',
    properties: {
      name: { type: 'string' },
      port: int,
      protocol: { enum: ['TCP', 'UDP', 'SCTP'] },
    },
    required: ['port', 'protocol'],
    additionalProperties: false,
  },
};

/** Removes what Berth does not need from an upstream shape: descriptions, x-kubernetes-*, null. */
function clean(s) {
  if (Array.isArray(s)) return s.map(clean);
  if (!s || typeof s !== 'object') return s;
  if (s.oneOf?.every((o) => Object.keys(o).length === 1 && o.type)) {
    const types = s.oneOf.flatMap((o) => [o.type].flat()).filter((t) => t !== 'null');
    return { type: [...new Set(types)] };
  }
  const out = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'description' || k.startsWith('x-kubernetes')) continue;
    if (k === 'type' && Array.isArray(v)) {
      const t = v.filter((x) => x !== 'null');
      out.type = t.length === 1 ? t[0] : t;
    } else if (k === 'properties' || k === '$defs') {
      out[k] = Object.fromEntries(Object.entries(v).map(([n, p]) => [n, clean(p)]));
    } else out[k] = clean(v);
  }
  return out;
}

/** A map of quantities (cpu, memory) in Berth's narrower shape. */
function resourceList(up) {
  const q = clean(up.additionalProperties);
  return { title: RESOURCE_LIST, type: 'object', properties: { cpu: q, memory: q } };
}

const files = new Map(); // file -> { $defs }
const roots = new Map(); // kind file -> root schema
function defsOf(file) {
  if (!files.has(file)) files.set(file, {});
  return files.get(file);
}
const TABLES = { 'defs-meta.json': META, 'defs-pod.json': POD };

/** Builds named type `name` of `file` from the upstream object schema `up`; returns a $ref. */
function buildType(file, table, name, up, from) {
  const target = name.includes('#') ? name.split('#') : [file, name];
  const [tFile, tName] = target;
  const tTable = TABLES[tFile] ?? table;
  const ref = tFile === from ? `#/$defs/${tName}` : `${tFile}#/$defs/${tName}`;
  const defs = defsOf(tFile);
  if (defs[tName]) return ref;
  if (tName === RESOURCE_LIST) {
    defs[tName] = { ...resourceList(up), additionalProperties: false };
    return ref;
  }
  defs[tName] = {}; // reserve (recursion)
  const fields = tTable[tName];
  if (!fields) throw new Error(`no field list for ${tName} in ${tFile}`);
  if (!up?.properties) throw new Error(`upstream has no properties for ${tName}`);
  const properties = {};
  for (const [field, how] of Object.entries(fields)) {
    if (field === '$required') continue;
    if (how?.$berth) {
      properties[field] = how.$berth; // a field Berth writes that upstream 1.32 has not
      continue;
    }
    const upField = up.properties[field];
    if (!upField) throw new Error(`${tName}.${field}: not in the upstream schema`);
    properties[field] = buildField(tFile, tTable, how, upField);
  }
  const berthRequired = fields.$required ?? [];
  const required = [
    ...new Set([...(up.required ?? []).filter((r) => r in properties), ...berthRequired]),
  ];
  const missing = (up.required ?? []).filter((r) => !(r in properties));
  if (missing.length) throw new Error(`${tName}: upstream requires ${missing} not listed`);
  defs[tName] = {
    title: tName,
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
  return ref;
}

function buildField(file, table, how, upField) {
  if (how === true) return clean(upField);
  if (typeof how === 'string') {
    const isArray = [upField.type].flat().includes('array');
    const upObj = isArray ? upField.items : upField;
    const $ref = buildType(file, table, how, upObj, file);
    return isArray ? { type: 'array', items: { $ref } } : { $ref };
  }
  const base = clean(upField);
  if (how.items) return { ...base, items: { ...base.items, ...how.items } };
  return { ...base, ...how };
}

const ID = 'https://berth.local/schemas/k8s/';
for (const k of KINDS) {
  const up = await upstream(k.up);
  const apiVersion = up.properties.apiVersion.enum[0];
  const kind = up.properties.kind.enum[0];
  buildType(k.file, k.types, kind, up, k.file);
  const defs = defsOf(k.file);
  const root = defs[kind];
  delete defs[kind];
  root.properties = {
    apiVersion: { const: apiVersion },
    kind: { const: kind },
    ...root.properties,
  };
  root.required = ['apiVersion', 'kind', 'metadata', ...(root.required ?? [])];
  roots.set(k.file, root);
}
for (const [file, content] of files) {
  let schema;
  if (roots.has(file)) {
    schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `${ID}${file}`,
      ...roots.get(file),
      ...(Object.keys(content).length ? { $defs: content } : {}),
    };
  } else {
    schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: `${ID}${file}`,
      title: file === 'defs-meta.json' ? 'MetaDefs' : 'PodDefs',
      $defs: content,
    };
  }
  await emit(path.join('schemas/k8s', file), schema, `${JSON.stringify(schema, null, 2)}\n`);
}
// k8s-status.json: what the controllers write (see STATUS), for the TypeScript types only.
for (const [upFile, type] of Object.values(STATUS_OF)) {
  const up = await upstream(upFile);
  buildType(STATUS_FILE, STATUS, type, up.properties.status, STATUS_FILE);
}
const statusDefs = { ...defsOf(STATUS_FILE), ...ENDPOINTS };
const statusSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `https://berth.local/schemas/${STATUS_FILE}`,
  title: 'BerthStatus',
  description:
    "What Berth's controllers write, never read from Git: each kind's status and the Endpoints subsets.",
  anyOf: [...Object.values(STATUS_OF).map(([, t]) => t), 'EndpointSubset'].map((t) => ({
    $ref: `#/$defs/${t}`,
  })),
  $defs: statusDefs,
};
await emit(
  path.join('schemas', STATUS_FILE),
  statusSchema,
  `${JSON.stringify(statusSchema, null, 2)}\n`,
);
// objects.json: every kind, for the generated TypeScript union `BerthObject`.
const index = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: `${ID}objects.json`,
  title: 'BerthObject',
  description: 'Every object kind Berth implements: one schema file per apiVersion/kind.',
  anyOf: [...roots.keys()].sort().map(($ref) => ({ $ref })),
};
await emit('schemas/k8s/objects.json', index, `${JSON.stringify(index, null, 2)}\n`);
