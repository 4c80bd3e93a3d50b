import { type Health, observedLatest, WAITING_FOR_CONTROLLER } from './health-status.js';

/** The fields of an apps/v1 DaemonSet this rule reads. */
export interface DaemonSetLike {
  metadata?: { generation?: number };
  status?: {
    observedGeneration?: number;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

/** A DaemonSet is Healthy when its pod on every node (here: the one host) is updated and available. */
export function daemonSetHealth(ds: DaemonSetLike): Health {
  if (!observedLatest(ds)) return WAITING_FOR_CONTROLLER;
  const s = ds.status ?? {};
  const desired = s.desiredNumberScheduled ?? 0;
  const updated = s.updatedNumberScheduled ?? 0;
  const available = s.numberAvailable ?? 0;
  if (updated < desired) {
    return {
      status: 'Progressing',
      reason: 'RolloutInProgress',
      message: `${updated} of ${desired} pods updated`,
    };
  }
  if (available < desired) {
    return {
      status: 'Progressing',
      reason: 'RolloutInProgress',
      message: `${available} of ${desired} pods available`,
    };
  }
  return {
    status: 'Healthy',
    reason: 'RolloutComplete',
    message: `${available} of ${desired} pods available`,
  };
}
