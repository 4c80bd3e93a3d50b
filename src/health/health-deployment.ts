import {
  type Condition,
  findCondition,
  type Health,
  observedLatest,
  WAITING_FOR_CONTROLLER,
} from './health-status.js';

/** The fields of an apps/v1 Deployment this rule reads. */
export interface DeploymentLike {
  metadata?: { generation?: number };
  spec?: { replicas?: number; paused?: boolean };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
  };
}

/**
 * A Deployment is Healthy only when every desired pod is updated, ready and available and no old
 * pod is left (kstatus); ProgressDeadlineExceeded is Degraded; `paused` is Suspended.
 */
export function deploymentHealth(d: DeploymentLike): Health {
  if (d.spec?.paused)
    return { status: 'Suspended', reason: 'DeploymentPaused', message: 'Deployment is paused' };
  if (!observedLatest(d)) return WAITING_FOR_CONTROLLER;
  const progressing = findCondition(d.status?.conditions, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      status: 'Degraded',
      reason: 'ProgressDeadlineExceeded',
      message: progressing.message ?? 'Deployment exceeded its progress deadline',
    };
  }
  const desired = d.spec?.replicas ?? 1;
  const s = d.status ?? {};
  const updated = s.updatedReplicas ?? 0;
  const total = s.replicas ?? 0;
  const ready = s.readyReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  if (updated < desired) {
    return rollout(`${updated} of ${desired} new replicas have been updated`);
  }
  if (total > updated) {
    return rollout(`${total - updated} old replicas are pending termination`);
  }
  if (ready < updated) {
    return rollout(`${ready} of ${updated} updated replicas are ready`);
  }
  if (available < updated) {
    return rollout(`${available} of ${updated} updated replicas are available`);
  }
  return {
    status: 'Healthy',
    reason: 'RolloutComplete',
    message: `${available} of ${desired} replicas available`,
  };
}

function rollout(detail: string): Health {
  return {
    status: 'Progressing',
    reason: 'RolloutInProgress',
    message: `Waiting for rollout to finish: ${detail}`,
  };
}
