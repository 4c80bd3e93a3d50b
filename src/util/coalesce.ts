/**
 * Wraps a complete, idempotent rebuild (one that reads everything it needs when it starts) so
 * that calls arriving while one runs share a single next run instead of each running it: every
 * caller still gets a run that started after its call (so it sees the caller's change), but a
 * burst of n calls costs two runs, not n. The kube-proxy's answer to a burst of Service changes
 * is the same: one pending sync, however many changes ask for it.
 */
export function coalesce<A extends unknown[], R>(
  run: (...args: A) => Promise<R>,
  options: {
    /**
     * The quiet time after a run, from its duration, before the next may start. Without it runs
     * go back to back while calls keep coming: for an O(n) rebuild asked for n times over a
     * period that grows with n (a first apply of n Services), that is O(n^2) work in all.
     */
    gapMs?: (runMs: number) => number;
  } = {},
) {
  let running: Promise<R> | undefined;
  let next: { promise: Promise<R>; args: A } | undefined;
  /** Earliest start of the next run (performance.now() time). */
  let readyAt = 0;
  const start = (args: A): Promise<R> => {
    const t0 = performance.now();
    const p = run(...args).finally(() => {
      const end = performance.now();
      readyAt = end + (options.gapMs?.(end - t0) ?? 0);
      if (running === p) running = undefined;
    });
    running = p;
    return p;
  };
  return (...args: A): Promise<R> => {
    if (!running && !next && performance.now() >= readyAt) return start(args);
    if (next) {
      next.args = args;
      return next.promise;
    }
    const after = (running ?? Promise.resolve())
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        const wait = readyAt - performance.now();
        return wait > 0 ? new Promise((r) => setTimeout(r, wait)) : undefined;
      });
    const entry = { args } as { args: A; promise: Promise<R> };
    entry.promise = after.then((): Promise<R> => {
      next = undefined;
      return start(entry.args);
    });
    next = entry;
    return entry.promise;
  };
}
