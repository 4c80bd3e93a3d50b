import path from 'node:path';
import git, { Errors } from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { gitFs } from '../source/index.js';
import { RollbackError } from './rollback-error.js';

/**
 * Moves a local repository's branch from `expected` to `commit` (a descendant). When the branch
 * is checked out in a working tree, the index and files follow — but only if that tree is clean:
 * uncommitted work is never overwritten (RollbackDirtyWorktree). A branch that is no longer at
 * `expected` is RollbackBranchMoved: the caller makes the revert again on the new tip.
 */
export async function advanceLocalBranch(options: {
  gitdir: string;
  branch: string;
  expected: string;
  commit: string;
}): Promise<void> {
  const { gitdir, branch, expected, commit } = options;
  const ref = `refs/heads/${branch}`;
  const current = await git.resolveRef({ fs: gitFs, gitdir, ref });
  if (current !== expected) {
    throw new RollbackError(
      'RollbackBranchMoved',
      `${branch} moved from ${expected.slice(0, 7)} to ${current.slice(0, 7)} meanwhile`,
      {
        branch,
        expected,
        current,
      },
    );
  }
  const dir = await checkedOutWorktree(gitdir, ref);
  if (dir) {
    // Rows are [file, HEAD, workdir, stage]: a tracked file not at 1,1,1 changed; an untracked
    // one (0,2,0) is left alone by the checkout unless the revert brings back a file at its path.
    const incoming = new Set(await git.listFiles({ fs: gitFs, gitdir, ref: commit }));
    const paths = (await git.statusMatrix({ fs: gitFs, dir, gitdir }))
      .filter(([file, head, workdir, stage]) =>
        head === 1 ? !(workdir === 1 && stage === 1) : stage !== 0 || incoming.has(file),
      )
      .map(([file]) => file);
    if (paths.length > 0) {
      throw new RollbackError(
        'RollbackDirtyWorktree',
        `${branch} is checked out in ${dir} with uncommitted changes (${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', ...' : ''}): commit or stash them first`,
        { branch, dir, paths },
      );
    }
  }
  await git.writeRef({ fs: gitFs, gitdir, ref, value: commit, force: true });
  if (dir) await git.checkout({ fs: gitFs, dir, gitdir, ref: branch, force: true });
}

/** The working tree in which `ref` is checked out, if any (a non-bare repository on that branch). */
async function checkedOutWorktree(gitdir: string, ref: string): Promise<string | undefined> {
  if (path.basename(gitdir) !== '.git') return undefined;
  const current = await git
    .currentBranch({ fs: gitFs, gitdir, fullname: true })
    .catch(() => undefined);
  return current === ref ? path.dirname(gitdir) : undefined;
}

/**
 * Pushes `commit` to the remote's `branch`, fast-forward only. Rejected because the branch
 * moved: RollbackBranchMoved; refused (401/403): RollbackPushDenied; anything else:
 * RollbackPushFailed. `redact` removes credentials from messages.
 */
export async function pushBranch(options: {
  gitdir: string;
  url: string;
  branch: string;
  commit: string;
  auth?: { username: string; password: string };
  redact: (text: string) => string;
}): Promise<void> {
  const { gitdir, url, branch, commit, auth, redact } = options;
  const ref = `refs/heads/${branch}`;
  await git.writeRef({ fs: gitFs, gitdir, ref, value: commit, force: true });
  try {
    const result = await git.push({
      fs: gitFs,
      http,
      gitdir,
      url,
      ref,
      remoteRef: ref,
      ...(auth ? { onAuth: () => auth, onAuthFailure: () => ({ cancel: true }) } : {}),
    });
    const status = result.refs[ref];
    if (!result.ok || (status && !status.ok)) {
      throw new RollbackError(
        'RollbackPushFailed',
        `the remote refused ${branch}: ${redact(status?.error ?? result.error ?? 'unknown error')}`,
        { branch },
      );
    }
  } catch (err) {
    if (err instanceof RollbackError) throw err;
    if (err instanceof Errors.PushRejectedError) {
      throw new RollbackError(
        'RollbackBranchMoved',
        `${branch} moved on the remote meanwhile`,
        { branch },
        { cause: err },
      );
    }
    const status = (err as { data?: { statusCode?: number } }).data?.statusCode;
    if (err instanceof Errors.HttpError && (status === 401 || status === 403)) {
      throw new RollbackError(
        'RollbackPushDenied',
        `the remote denied the push to ${branch} (HTTP ${status}): the credentials may not write`,
        { branch, status },
      );
    }
    if (err instanceof Errors.UserCanceledError) {
      throw new RollbackError(
        'RollbackPushDenied',
        `the remote refused the credentials for ${branch}`,
        { branch },
      );
    }
    throw new RollbackError(
      'RollbackPushFailed',
      `push of ${branch} failed: ${redact((err as Error).message)}`,
      { branch },
      { cause: err },
    );
  }
}
