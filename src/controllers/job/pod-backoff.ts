/** The first delay before replacing a failed pod, doubled each failure, as Kubernetes. */
export const POD_BACKOFF_BASE_MS = 10_000;
/** The longest delay before replacing a failed pod (Kubernetes' MaxJobPodFailureBackOff). */
export const POD_BACKOFF_MAX_MS = 600_000;

/** Kubernetes' backoffRecord of a Job: failures since the last success, and the last one's time. */
export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** When the latest of those failures finished (ms since the epoch). */
  lastFailureMs?: number;
}

/**
 * Kubernetes' newBackoffRecord (pkg/controller/job/backoff_utils.go) over the job's finished
 * pods, given by the time each finished: the failures that finished after the latest success
 * (all of them when none succeeded). A success and a failure at the same instant: the success
 * wins.
 */
export function backoffRecord(
  succeededMs: readonly number[],
  failedMs: readonly number[],
): BackoffRecord {
  const lastSuccess = succeededMs.length > 0 ? Math.max(...succeededMs) : undefined;
  const failures = failedMs.filter((t) => lastSuccess === undefined || t > lastSuccess);
  if (failures.length === 0) return { failuresAfterLastSuccess: 0 };
  return { failuresAfterLastSuccess: failures.length, lastFailureMs: Math.max(...failures) };
}

/**
 * Kubernetes' backoffRecord.getRemainingTime: how long to wait before a pod replaces the failed
 * ones, `defaultMs` doubled per failure after the first, at most `maxMs`, less the time since the
 * last failure; 0 when none failed or the wait is over.
 */
export function remainingBackoffMs(
  record: BackoffRecord,
  nowMs: number,
  defaultMs = POD_BACKOFF_BASE_MS,
  maxMs = POD_BACKOFF_MAX_MS,
): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureMs === undefined) return 0;
  let backoff = defaultMs;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    backoff *= 2;
    if (backoff > maxMs) {
      backoff = maxMs;
      break;
    }
  }
  const elapsed = nowMs - record.lastFailureMs;
  return backoff < elapsed ? 0 : backoff - elapsed;
}
