/** What a probe says of a container so far (the kubelet's results.Result). */
export type ProbeResult = 'Success' | 'Failure' | 'Unknown';

/** The state of one probe worker: its published result and the run of equal outcomes. */
export interface ProbeWorkerState {
  result: ProbeResult;
  /** The outcome of the latest probe, undefined before the first. */
  last?: boolean;
  /** How many probes in a row had that outcome. */
  run: number;
}

/**
 * A worker's result before its first probe, as the kubelet's: liveness Success (a container is
 * alive until proven otherwise), readiness Failure (not ready until a probe passes), startup
 * Unknown.
 */
export function initialProbeWorker(kind: 'liveness' | 'readiness' | 'startup'): ProbeWorkerState {
  const result = kind === 'liveness' ? 'Success' : kind === 'readiness' ? 'Failure' : 'Unknown';
  return { result, run: 0 };
}

/**
 * One probe outcome through the kubelet's thresholds (pkg/kubelet/prober/worker.go doProbe): the
 * published result changes only once `successThreshold` successes or `failureThreshold`
 * failures came in a row.
 */
export function probeWorkerStep(
  state: ProbeWorkerState,
  thresholds: { successThreshold: number; failureThreshold: number },
  success: boolean,
): ProbeWorkerState {
  const run = state.last === success ? state.run + 1 : 1;
  const threshold = success ? thresholds.successThreshold : thresholds.failureThreshold;
  if (run < threshold) return { ...state, last: success, run };
  return { result: success ? 'Success' : 'Failure', last: success, run };
}
