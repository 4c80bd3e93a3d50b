import type { DaemonSetStatus } from '../../manifests/generated/k8s-status.js';

export type { DaemonSetStatus } from '../../manifests/generated/k8s-status.js';

/**
 * A DaemonSet's status on the one host (a pure function): one pod desired; the host counts as
 * scheduled, ready, available and updated when any of its pods is (as Kubernetes counts nodes).
 */
export function daemonSetStatus(
  generation: number,
  pods: ReadonlyArray<{ ready: boolean; available: boolean; updated: boolean }>,
): DaemonSetStatus {
  const available = pods.some((p) => p.available) ? 1 : 0;
  return {
    observedGeneration: generation,
    desiredNumberScheduled: 1,
    currentNumberScheduled: pods.length > 0 ? 1 : 0,
    numberMisscheduled: 0,
    numberReady: pods.some((p) => p.ready) ? 1 : 0,
    numberAvailable: available,
    numberUnavailable: 1 - available,
    updatedNumberScheduled: pods.some((p) => p.updated) ? 1 : 0,
  };
}
