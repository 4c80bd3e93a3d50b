import fs from 'node:fs';
import git from 'isomorphic-git';
import { BerthError } from '../util/berth-error.js';
import { RevertConflictError } from './revert-conflict-error.js';
import { revertMessage, subjectOf } from './revert-message.js';
import { mergeTrees } from './tree-merge.js';
import { writeCommit } from './write-commit.js';

/** Options of {@link revertCommits}. */
export interface RevertOptions {
  /** The git directory to write to (a repository's `.git`, or a bare repository). */
  gitdir: string;
  /** The branch tip the revert goes on top of: its only parent. */
  head: string;
  /** The newest commit to undo. */
  bad: string;
  /** The last good commit: every commit after it up to `bad` is undone. Default: `bad`'s first parent. */
  good?: string;
  /** Author and committer. */
  author: { name: string; email: string };
  /** A sentence saying why, written between the subject and the `This reverts commit` lines. */
  reason?: string;
  /** Commit time. Default now. */
  now?: Date;
}

/** A revert commit that was written (no ref was moved). */
export interface RevertResult {
  commit: string;
  tree: string;
  message: string;
  /** The commits undone, newest first. */
  reverted: Array<{ sha: string; subject: string }>;
}

/**
 * Writes a commit on top of `head` that undoes the changes of the commits after `good` up to
 * `bad` and keeps everything else, including later unrelated commits: a three-way merge with
 * `bad`'s tree as base, `head` as ours and `good` as theirs — what `git revert` does, built from
 * isomorphic-git's primitives (it has no revert). Throws {@link RevertConflictError} and writes
 * no commit when later changes overlap. Moves no ref: the caller advances the branch.
 */
export async function revertCommits(options: RevertOptions): Promise<RevertResult> {
  const { gitdir } = options;
  const bad = await git.readCommit({ fs, gitdir, oid: options.bad });
  const good = options.good ?? bad.commit.parent[0];
  if (!good) {
    throw new BerthError(
      'RevertRootCommit',
      `commit ${options.bad} has no parent: there is nothing to go back to`,
      { bad: options.bad },
    );
  }
  const reverted = await commitsBetween(gitdir, good, options.bad);
  const [goodCommit, headCommit] = await Promise.all([
    git.readCommit({ fs, gitdir, oid: good }),
    git.readCommit({ fs, gitdir, oid: options.head }),
  ]);
  const merged = await mergeTrees(
    { gitdir },
    bad.commit.tree,
    headCommit.commit.tree,
    goodCommit.commit.tree,
  );
  if (merged.tree === undefined) {
    throw new RevertConflictError(
      `cannot revert ${reverted.map((c) => c.sha.slice(0, 7)).join(', ')} cleanly: later commits changed the same lines of ${merged.conflicts.join(', ')}`,
      { paths: merged.conflicts, reverted: reverted.map((c) => c.sha) },
    );
  }
  const message = revertMessage(reverted, options.reason);
  const commit = await writeCommit({
    gitdir,
    message,
    tree: merged.tree,
    parent: options.head,
    author: options.author,
    ...(options.now ? { now: options.now } : {}),
  });
  return { commit, tree: merged.tree, message, reverted };
}

/** The commits after `good` up to `bad` along first parents, newest first; `good` must be an ancestor. */
async function commitsBetween(
  gitdir: string,
  good: string,
  bad: string,
): Promise<Array<{ sha: string; subject: string }>> {
  const commits: Array<{ sha: string; subject: string }> = [];
  let oid: string | undefined = bad;
  while (oid && oid !== good) {
    const { commit } = await git.readCommit({ fs, gitdir, oid });
    commits.push({ sha: oid, subject: subjectOf(commit.message) });
    oid = commit.parent[0];
  }
  if (oid !== good) {
    throw new BerthError(
      'RevertNotAncestor',
      `commit ${good} is not an ancestor of ${bad}: cannot revert the commits between them`,
      {
        good,
        bad,
      },
    );
  }
  return commits;
}
