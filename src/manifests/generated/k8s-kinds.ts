/* Generated from schemas/k8s/objects.json and schemas/k8s-status.json by scripts/generate-types.mjs. Do not edit. */

import type * as O from './k8s-objects.js';
import type * as S from './k8s-status.js';

/** core/v1 Endpoints: one per Service, written by the Service controller (never from Git). */
export interface Endpoints {
  apiVersion: 'v1';
  kind: 'Endpoints';
  metadata: O.ObjectMeta;
  subsets?: S.EndpointSubset[];
}

/** Every kind Berth stores: the object as Git gives it and the status its controller writes. */
export interface KindMap {
  ConfigMap: { object: O.ConfigMap; status: never };
  CronJob: { object: O.CronJob; status: S.CronJobStatus };
  DaemonSet: { object: O.DaemonSet; status: S.DaemonSetStatus };
  Deployment: { object: O.Deployment; status: S.DeploymentStatus };
  Endpoints: { object: Endpoints; status: never };
  Ingress: { object: O.Ingress; status: S.IngressStatus };
  Job: { object: O.Job; status: S.JobStatus };
  Namespace: { object: O.Namespace; status: S.NamespaceStatus };
  PersistentVolumeClaim: { object: O.PersistentVolumeClaim; status: S.PersistentVolumeClaimStatus };
  Pod: { object: O.Pod; status: S.PodStatus };
  ReplicaSet: { object: O.ReplicaSet; status: S.ReplicaSetStatus };
  Secret: { object: O.Secret; status: never };
  Service: { object: O.Service; status: S.ServiceStatus };
  StatefulSet: { object: O.StatefulSet; status: S.StatefulSetStatus };
}

/** A kind Berth stores. */
export type Kind = keyof KindMap;

