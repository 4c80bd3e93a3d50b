/** How many ended pod uids are remembered (a stale sync of one must not start it again). */
const REMEMBERED = 10_000;

/**
 * The graceful deletions this node has under way or finished (the kubelet's terminating and
 * terminated pod workers): a uid here is never synced — started or restarted — again.
 */
export class PodTerminations {
  private readonly running = new Map<string, Promise<void>>();
  private readonly ended = new Set<string>();

  /** Whether the pod of this uid is being or has been stopped for deletion. */
  has(uid: string): boolean {
    return this.running.has(uid) || this.ended.has(uid);
  }

  /** Whether a termination of this uid is under way. */
  underWay(uid: string): boolean {
    return this.running.has(uid);
  }

  /**
   * Runs `stop` for this uid unless it runs already; `done` is called once it settled (even
   * when it failed: the next look tries again).
   */
  begin(uid: string, stop: () => Promise<void>, done: (err?: unknown) => void): void {
    if (this.running.has(uid)) return;
    this.remember(uid);
    const run = stop().then(
      () => done(),
      (err: unknown) => done(err),
    );
    this.running.set(
      uid,
      run.finally(() => this.running.delete(uid)),
    );
  }

  /** Notes that a pod of this uid ended without a stop of ours (nothing of it was left). */
  remember(uid: string): void {
    this.ended.delete(uid);
    this.ended.add(uid);
    if (this.ended.size > REMEMBERED) {
      const oldest = this.ended.values().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }
}
