import git, { Errors } from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { gitFs } from '../source/index.js';
import { RollbackError } from './rollback-error.js';

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
