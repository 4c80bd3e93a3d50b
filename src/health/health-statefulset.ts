import { type Health, observedLatest, WAITING_FOR_CONTROLLER } from './health-status.js';

/** The fields of an apps/v1 StatefulSet this rule reads. */
export interface StatefulSetLike {
  metadata?: { generation?: number };
  spec?: {
    replicas?: number;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
  };
}

/**
 * A StatefulSet is Healthy when every replica is ready and, for RollingUpdate, every ordinal at
 * or above the partition runs the update revision.
 */
export function statefulSetHealth(sts: StatefulSetLike): Health {
  if (!observedLatest(sts)) return WAITING_FOR_CONTROLLER;
  const desired = sts.spec?.replicas ?? 1;
  const s = sts.status ?? {};
  const ready = s.readyReplicas ?? 0;
  if (ready < desired) return progressing(`${ready} of ${desired} pods are ready`);
  if ((sts.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') {
    const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    const toUpdate = Math.max(desired - partition, 0);
    const updated = s.updatedReplicas ?? 0;
    if (updated < toUpdate) return progressing(`${updated} of ${toUpdate} pods have been updated`);
    if (partition === 0 && s.updateRevision && s.currentRevision !== s.updateRevision) {
      return progressing('waiting for the update revision to become current');
    }
  }
  return {
    status: 'Healthy',
    reason: 'RolloutComplete',
    message: `${ready} of ${desired} pods ready`,
  };
}

function progressing(detail: string): Health {
  return {
    status: 'Progressing',
    reason: 'RolloutInProgress',
    message: `Waiting for rollout to finish: ${detail}`,
  };
}
