/** The CrashLoopBackOff parameters (the kubelet's: 10 s doubling to 300 s, reset after 10 min). */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  resetMs: number;
}

/**
 * How long after `finishedAt` a container that exited may be started again: pure function of
 * what Docker remembers, so it survives a Berth restart. `restartCount` is the number of
 * restarts so far (the first restart is immediate, then 10 s, 20 s, 40 s...); a run longer than `resetMs` resets the delay to the initial one.
 */
export function restartDelayMs(
  policy: BackoffPolicy,
  restartCount: number,
  ranForMs: number,
): number {
  if (ranForMs >= policy.resetMs || restartCount === 0) return 0;
  const exponent = Math.min(restartCount - 1, 30);
  return Math.min(policy.initialMs * 2 ** exponent, policy.maxMs);
}

/** Whether restartPolicy restarts a container that exited with `exitCode`. */
export function shouldRestart(
  restartPolicy: 'Always' | 'OnFailure' | 'Never',
  exitCode: number,
): boolean {
  if (restartPolicy === 'Always') return true;
  if (restartPolicy === 'OnFailure') return exitCode !== 0;
  return false;
}
