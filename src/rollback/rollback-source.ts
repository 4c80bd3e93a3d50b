import path from 'node:path';
import git from 'isomorphic-git';
import { describeRef, type SourceConfig } from '../config/index.js';
import { rollbacksTotal } from '../metrics/index.js';
import { findGitdir, gitFs, RemoteBackend } from '../source/index.js';
import { existingRevert } from './existing-revert.js';
import { publishCommit, retryWhenBranchMoved } from './publish-commit.js';
import { type RevertResult, revertCommits } from './revert-commits.js';
import { RollbackError } from './rollback-error.js';

/** Options of {@link rollbackSource}. */
export interface RollbackOptions {
  source: SourceConfig;
  /** Berth's state directory: a remote is fetched (full history) into `<stateDir>/rollback/<name>.git`. */
  stateDir: string;
  /** The last good commit: everything after it on the branch is undone. Default: the tip's parent (undo the last commit). */
  to?: string;
  /** The newest commit to undo. Default: the branch tip. Later commits are kept. */
  bad?: string;
  /** Why, written into the commit message. */
  reason?: string;
  /**
   * Called right before the branch is moved or pushed; a throw leaves the branch as it was (the
   * leader's fencing check: a process that lost its lease never writes).
   */
  beforeWrite?: () => Promise<void>;
  /** Tries when the branch moves under the rollback. Default 3. */
  attempts?: number;
  env?: NodeJS.ProcessEnv;
}

/** A rollback that landed on the branch. */
export interface RollbackResult extends RevertResult {
  branch: string;
  /** The branch tip the revert was made on. */
  parent: string;
  /** True for a remote source: the commit was pushed. */
  pushed: boolean;
  /** True when the branch already had a revert of `bad` (nothing was committed): see existingRevert. */
  existing?: boolean;
}

/**
 * The revert path shared by automated and manual rollbacks: on the source's tracked branch,
 * commits a revert of the commits after `to` up to `bad` (keeping later unrelated commits),
 * then moves the local branch or pushes to the remote with the source's credentials. When the
 * branch moves meanwhile it fetches and tries again; a conflict, a dirty working tree or a
 * refused push throws and leaves the branch as it was.
 */
export async function rollbackSource(options: RollbackOptions): Promise<RollbackResult> {
  const { source } = options;
  if (!('branch' in source.ref)) {
    throw new RollbackError(
      'RollbackNotABranch',
      `source ${source.name} follows ${describeRef(source.ref)}: only a branch can take a revert commit`,
      {
        source: source.name,
      },
    );
  }
  const branch = source.ref.branch;
  const env = options.env ?? process.env;
  // A remote is fetched with its whole history (the revert needs the commits it undoes) into a
  // directory of its own, and pushed to with the source's credentials; messages are redacted.
  const remote = source.remote
    ? new RemoteBackend(source, path.join(options.stateDir, 'rollback'), env, undefined, true)
    : undefined;
  const auth = remote?.credentials();
  const redact = (text: string) => remote?.redact(text) ?? text;
  return retryWhenBranchMoved(async () => {
    let gitdir: string;
    if (remote) {
      await remote.update();
      gitdir = remote.gitdir();
    } else {
      gitdir = findGitdir(source.name, source.repo);
    }
    const head = await git.resolveRef({ fs: gitFs, gitdir, ref: `refs/heads/${branch}` });
    const bad = options.bad ?? head;
    // A revert of `bad` already on the branch (made by a process that died before it said so)
    // is the rollback: a second one is never committed.
    const existing = bad === head ? undefined : await existingRevert({ gitdir, head, bad });
    if (existing) return { ...existing, branch, parent: head, pushed: false, existing: true };
    const revert = await revertCommits({
      gitdir,
      head,
      bad,
      ...(options.to ? { good: options.to } : {}),
      author: source.rollback.author,
      ...(options.reason ? { reason: options.reason } : {}),
    });
    await options.beforeWrite?.();
    await publishCommit({
      gitdir,
      branch,
      expected: head,
      commit: revert.commit,
      ...(source.remote ? { remote: { url: source.repo, ...(auth ? { auth } : {}), redact } } : {}),
    });
    rollbacksTotal.inc({ source: source.name });
    return { ...revert, branch, parent: head, pushed: source.remote };
  }, options.attempts ?? 3);
}
