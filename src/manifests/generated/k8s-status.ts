/* Generated from schemas/k8s-status.json by scripts/generate-types.mjs. Do not edit. */

/**
 * What Berth's controllers write, never read from Git: each kind's status and the Endpoints subsets.
 */
export type BerthStatus =
  | DeploymentStatus
  | ReplicaSetStatus
  | StatefulSetStatus
  | DaemonSetStatus
  | JobStatus
  | CronJobStatus
  | PodStatus
  | ServiceStatus
  | IngressStatus
  | PersistentVolumeClaimStatus
  | NamespaceStatus
  | EndpointSubset;

export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: DeploymentCondition[];
}
export interface DeploymentCondition {
  type: 'Available' | 'Progressing' | 'ReplicaFailure';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  lastUpdateTime: string;
}
export interface ReplicaSetStatus {
  observedGeneration: number;
  replicas: number;
  fullyLabeledReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  terminatingReplicas?: number;
  conditions?: ReplicaSetCondition[];
}
export interface ReplicaSetCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}
export interface StatefulSetStatus {
  observedGeneration: number;
  replicas: number;
  readyReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
  availableReplicas: number;
}
export interface DaemonSetStatus {
  observedGeneration: number;
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  numberAvailable: number;
  numberUnavailable: number;
  updatedNumberScheduled: number;
}
export interface JobStatus {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  ready: number;
  succeeded?: number;
  failed?: number;
  completedIndexes?: string;
}
export interface JobCondition {
  type: 'Complete' | 'Failed' | 'Suspended';
  status: 'True' | 'False';
  reason?: string;
  message?: string;
  lastTransitionTime: string;
  lastProbeTime: string;
}
export interface CronJobStatus {
  active?: JobReference[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}
export interface JobReference {
  apiVersion: 'batch/v1';
  kind: 'Job';
  name: string;
  namespace: string;
  uid: string;
}
export interface PodStatus {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  conditions: PodCondition[];
  message?: string;
  reason?: string;
  hostIP?: string;
  podIP?: string;
  podIPs?: PodIP[];
  startTime?: string;
  initContainerStatuses: ContainerStatus[];
  containerStatuses: ContainerStatus[];
}
export interface PodCondition {
  type: 'PodScheduled' | 'Initialized' | 'ContainersReady' | 'Ready';
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}
export interface PodIP {
  ip: string;
}
export interface ContainerStatus {
  name: string;
  state: ContainerState;
  lastState: ContainerState;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  image: string;
  imageID: string;
  containerID?: string;
}
export interface ContainerState {
  waiting?: ContainerStateWaiting;
  running?: ContainerStateRunning;
  terminated?: ContainerStateTerminated;
}
export interface ContainerStateWaiting {
  reason?: string;
  message?: string;
}
export interface ContainerStateRunning {
  startedAt?: string;
}
export interface ContainerStateTerminated {
  exitCode: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}
export interface ServiceStatus {
  observedGeneration: number;
  clusterIP?: string;
  clusterIPs?: string[];
  ports: ServiceStatusPort[];
  loadBalancer: LoadBalancerStatus;
  conditions: ServiceCondition[];
}
export interface ServiceStatusPort {
  name: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  nodePort?: number;
}
export interface LoadBalancerStatus {
  ingress?: LoadBalancerIngress[];
}
export interface LoadBalancerIngress {
  ip: string;
  ports: PortStatus[];
}
export interface PortStatus {
  port: number;
  protocol: string;
}
export interface ServiceCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime: string;
}
export interface IngressStatus {
  loadBalancer?: IngressLoadBalancerStatus;
}
export interface IngressLoadBalancerStatus {
  ingress?: IngressLoadBalancerIngress[];
}
export interface IngressLoadBalancerIngress {
  ip?: string;
  ports?: IngressPortStatus[];
}
export interface IngressPortStatus {
  port: number;
  protocol: string;
}
export interface PersistentVolumeClaimStatus {
  phase?: 'Pending' | 'Bound' | 'Lost';
  accessModes?: string[];
  capacity?: {
    storage?: string | number;
  };
}
export interface NamespaceStatus {
  phase?: 'Active' | 'Terminating';
}
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports: EndpointPort[];
}
export interface EndpointAddress {
  ip: string;
  hostname?: string;
  targetRef: EndpointTargetRef;
}
export interface EndpointTargetRef {
  kind: 'Pod';
  name: string;
  namespace: string;
  uid: string;
}
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}
