import {
  type Condition,
  findCondition,
  type Health,
  observedLatest,
  WAITING_FOR_CONTROLLER,
} from './health-status.js';

/** The fields of an apps/v1 ReplicaSet this rule reads. */
export interface ReplicaSetLike {
  metadata?: { generation?: number };
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
}

/** A ReplicaSet is Healthy when all its replicas are available; ReplicaFailure is Degraded. */
export function replicaSetHealth(rs: ReplicaSetLike): Health {
  if (!observedLatest(rs)) return WAITING_FOR_CONTROLLER;
  const failure = findCondition(rs.status?.conditions, 'ReplicaFailure');
  if (failure?.status === 'True') {
    return {
      status: 'Degraded',
      reason: failure.reason ?? 'ReplicaFailure',
      message: failure.message ?? 'Replicas cannot be created',
    };
  }
  const desired = rs.spec?.replicas ?? 1;
  const available = rs.status?.availableReplicas ?? 0;
  if (available < desired) {
    return {
      status: 'Progressing',
      reason: 'ReplicasUnavailable',
      message: `${available} of ${desired} replicas available`,
    };
  }
  return {
    status: 'Healthy',
    reason: 'ReplicasAvailable',
    message: `${available} of ${desired} replicas available`,
  };
}
