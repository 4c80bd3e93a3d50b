import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The waits of every test, in one place. The host is shared by several engineers running tests
 * at once, so deadlines are generous: a wait that times out means something is wrong, not slow.
 */
export const WAIT = {
  /** Deadline of a wait for something that happens in-process or on Redis (a queue, a watcher). */
  timeoutMs: 30_000,
  /** Deadline of a wait for containers, images and rollouts on Docker. */
  dockerTimeoutMs: 90_000,
  /** Pause between two tries. */
  intervalMs: 100,
} as const;

/** Options of {@link eventually}. */
export interface EventuallyOptions {
  /** What is awaited, for the timeout's message ("the pod to be Running"). */
  what?: string;
  /** Give up after this long. Default {@link WAIT.timeoutMs}. */
  timeout?: number;
  /** Pause between two tries. Default {@link WAIT.intervalMs}. */
  interval?: number;
}

/**
 * Calls `fn` until it succeeds, as gomega's `Eventually` (flux's suites): it succeeds when it
 * returns (or resolves to) something other than `undefined`, `null` or `false` without
 * throwing, and that value is returned. Throwing (a failed `expect`, a refused connection)
 * means "not yet". After `timeout` it throws an error naming `what` with the last failure (or
 * the last value) and, as its `cause`, the last error, so a timed-out wait reads like the
 * assertion that kept failing.
 */
export async function eventually<T>(
  fn: () => T | Promise<T>,
  options: EventuallyOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const timeout = options.timeout ?? WAIT.timeoutMs;
  const interval = options.interval ?? WAIT.intervalMs;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  let lastValue: unknown;
  let tries = 0;
  for (;;) {
    tries++;
    try {
      const value = await fn();
      if (value !== undefined && value !== null && value !== false)
        return value as Exclude<T, undefined | null | false>;
      lastValue = value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const last =
        lastError !== undefined
          ? lastError instanceof Error
            ? lastError.message
            : String(lastError)
          : `it returned ${String(lastValue)}`;
      throw new Error(
        `timed out after ${timeout} ms (${tries} tries) waiting for ${options.what ?? 'a condition'}: ${last}`,
        lastError !== undefined ? { cause: lastError } : undefined,
      );
    }
    await sleep(interval);
  }
}

/** Options of {@link consistently}. */
export interface ConsistentlyOptions {
  /** What must hold, for the failure's message ("the branch to stay at the revert"). */
  what?: string;
  /** How long it must hold (ms). */
  for: number;
  /** Pause between two checks. Default 250 ms. */
  interval?: number;
}

/**
 * Checks `fn` again and again for `for` ms, as gomega's `Consistently`: every call must return
 * without throwing (a failed `expect`) and not `false`. The first failure throws at once,
 * naming `what` and how long it held. For "nothing happens" assertions (no restart, no revert,
 * nothing re-created), in place of a sleep followed by one check: a change that comes and goes
 * within the window is seen too.
 */
export async function consistently(
  fn: () => unknown | Promise<unknown>,
  options: ConsistentlyOptions,
): Promise<void> {
  const interval = options.interval ?? 250;
  const start = Date.now();
  const deadline = start + options.for;
  for (;;) {
    let failure: unknown;
    try {
      if ((await fn()) === false) failure = new Error('it returned false');
    } catch (err) {
      failure = err;
    }
    if (failure !== undefined) {
      const message = failure instanceof Error ? failure.message : String(failure);
      throw new Error(
        `${options.what ?? 'a condition'} held for ${Date.now() - start} ms of ${options.for} ms, then: ${message}`,
        { cause: failure },
      );
    }
    if (Date.now() >= deadline) return;
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
}
