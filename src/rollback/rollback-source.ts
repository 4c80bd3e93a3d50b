import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import { readSecret, type SourceConfig } from '../config/index.js';
import { gitFs } from '../source/git-fs.js';
import { findGitdir } from '../source/index.js';
import { advanceLocalBranch, pushBranch } from './advance-branch.js';
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
      `source ${source.name} follows ${'tag' in source.ref ? `tag ${source.ref.tag}` : `commit ${source.ref.commit}`}: only a branch can take a revert commit`,
      {
        source: source.name,
      },
    );
  }
  const branch = source.ref.branch;
  const env = options.env ?? process.env;
  const auth = source.auth
    ? { username: source.auth.username, password: readSecret(source.auth.password, env) }
    : undefined;
  const redact = (text: string) => (auth ? text.split(auth.password).join('***') : text);
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const gitdir = source.remote
      ? await fetchFull(source, options.stateDir, branch, auth, redact)
      : findGitdir(source.name, source.repo);
    const head = await git.resolveRef({ fs: gitFs, gitdir, ref: `refs/heads/${branch}` });
    const bad = options.bad ?? head;
    const revert = await revertCommits({
      gitdir,
      head,
      bad,
      ...(options.to ? { good: options.to } : {}),
      author: source.rollback.author,
      ...(options.reason ? { reason: options.reason } : {}),
    });
    try {
      if (source.remote)
        await pushBranch({
          gitdir,
          url: source.repo,
          branch,
          commit: revert.commit,
          ...(auth ? { auth } : {}),
          redact,
        });
      else await advanceLocalBranch({ gitdir, branch, expected: head, commit: revert.commit });
      return { ...revert, branch, parent: head, pushed: source.remote };
    } catch (err) {
      if (
        !(err instanceof RollbackError) ||
        err.code !== 'RollbackBranchMoved' ||
        attempt >= attempts
      )
        throw err;
    }
  }
}

/** Fetches the branch with its whole history (a revert needs the commits it undoes). */
async function fetchFull(
  source: SourceConfig,
  stateDir: string,
  branch: string,
  auth: { username: string; password: string } | undefined,
  redact: (text: string) => string,
): Promise<string> {
  const gitdir = path.join(stateDir, 'rollback', `${source.name}.git`);
  await mkdir(gitdir, { recursive: true });
  await git.init({ fs: gitFs, dir: gitdir, gitdir, bare: true, defaultBranch: branch });
  await git.setConfig({
    fs: gitFs,
    gitdir,
    path: 'remote.origin.fetch',
    value: '+refs/heads/*:refs/remotes/origin/*',
  });
  const ref = `refs/heads/${branch}`;
  try {
    const result = await git.fetch({
      fs: gitFs,
      http,
      gitdir,
      url: source.repo,
      ref,
      remoteRef: ref,
      singleBranch: true,
      tags: false,
      ...(auth ? { onAuth: () => auth, onAuthFailure: () => ({ cancel: true }) } : {}),
    });
    if (!result.fetchHead) throw new Error(`${ref} does not exist on the remote`);
    await git.writeRef({ fs: gitFs, gitdir, ref, value: result.fetchHead, force: true });
    return gitdir;
  } catch (err) {
    throw new RollbackError(
      'RollbackPushFailed',
      `source ${source.name}: cannot fetch ${branch}: ${redact((err as Error).message)}`,
      { source: source.name, branch },
      { cause: err },
    );
  }
}
