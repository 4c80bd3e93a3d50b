import git from 'isomorphic-git';
import { gitFs } from '../source/index.js';
import type { RevertResult } from './revert-commits.js';

/**
 * The revert of `bad` already on the branch, if any: a commit after `bad` on `head`'s history
 * (at most `depth` commits back) whose message says `This reverts commit <bad>.`, as Berth
 * and git write it. A rollback that finds one has nothing to commit: another process (a leader
 * that died before it could say so) made it already.
 */
export async function existingRevert(options: {
  gitdir: string;
  head: string;
  bad: string;
  depth?: number;
}): Promise<RevertResult | undefined> {
  const { gitdir, head, bad } = options;
  const line = `This reverts commit ${bad}.`;
  const commits = await git.log({ fs: gitFs, gitdir, ref: head, depth: options.depth ?? 50 });
  for (const { oid, commit } of commits) {
    if (oid === bad) return undefined;
    if (!commit.message.split('\n').includes(line)) continue;
    const shas = [...commit.message.matchAll(/^This reverts commit ([0-9a-f]{40})\.$/gm)].map(
      (m) => m[1] as string,
    );
    const reverted = await Promise.all(
      shas.map(async (sha) => {
        const c = await git.readCommit({ fs: gitFs, gitdir, oid: sha }).catch(() => undefined);
        return { sha, subject: c?.commit.message.split('\n')[0] ?? '' };
      }),
    );
    return { commit: oid, tree: commit.tree, message: commit.message, reverted };
  }
  return undefined;
}
