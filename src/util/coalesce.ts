/**
 * Wraps a complete, idempotent rebuild (one that reads everything it needs when it starts) so
 * that calls arriving while one runs share a single next run instead of each running it: every
 * caller still gets a run that started after its call (so it sees the caller's change), but a
 * burst of n calls costs two runs, not n. The kube-proxy's answer to a burst of Service changes
 * is the same: one pending sync, however many changes ask for it.
 */
export function coalesce<A extends unknown[], R>(run: (...args: A) => Promise<R>) {
  let running: Promise<R> | undefined;
  let next: { promise: Promise<R>; args: A } | undefined;
  const start = (args: A): Promise<R> => {
    const p = run(...args).finally(() => {
      if (running === p) running = undefined;
    });
    running = p;
    return p;
  };
  return (...args: A): Promise<R> => {
    if (!running) return start(args);
    if (next) {
      next.args = args;
      return next.promise;
    }
    const after = running.then(
      () => undefined,
      () => undefined,
    );
    const entry = { args } as { args: A; promise: Promise<R> };
    entry.promise = after.then((): Promise<R> => {
      next = undefined;
      return start(entry.args);
    });
    next = entry;
    return entry.promise;
  };
}
