import { pushBranch } from './advance-branch.js';
import { advanceLocalBranch } from './local-branch.js';
import { RollbackError } from './rollback-error.js';

/** Where a commit Berth wrote goes: the remote's branch, or the local branch. */
export interface PublishTarget {
  gitdir: string;
  branch: string;
  /** The branch tip the commit was written on (its parent). */
  expected: string;
  commit: string;
  /** A remote source: pushed to `url` (the branch there must fast-forward). Absent: local. */
  remote?: {
    url: string;
    auth?: { username: string; password: string };
    redact: (text: string) => string;
  };
}

/**
 * Makes `commit` the branch's tip: pushed to a remote source, or a local branch advanced under
 * git's own locks ({@link advanceLocalBranch}). A branch that moved meanwhile throws
 * RollbackBranchMoved (see {@link retryWhenBranchMoved}).
 */
export async function publishCommit(t: PublishTarget): Promise<void> {
  if (t.remote)
    await pushBranch({
      gitdir: t.gitdir,
      url: t.remote.url,
      branch: t.branch,
      commit: t.commit,
      ...(t.remote.auth ? { auth: t.remote.auth } : {}),
      redact: t.remote.redact,
    });
  else
    await advanceLocalBranch({
      gitdir: t.gitdir,
      branch: t.branch,
      expected: t.expected,
      commit: t.commit,
    });
}

/**
 * Runs `attempt` (read the branch, write a commit on it, publish it) again when the branch moved
 * under it (RollbackBranchMoved: a git command in the repository holds its locks for
 * milliseconds, or someone pushed), after 100 ms × the attempt number, `attempts` times at most;
 * any other error, or the last one, is thrown.
 */
export async function retryWhenBranchMoved<T>(
  attempt: (n: number) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof RollbackError) || err.code !== 'RollbackBranchMoved' || n >= attempts)
        throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * n));
    }
  }
}
