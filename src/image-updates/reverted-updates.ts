import git from 'isomorphic-git';
import { gitFs } from '../source/index.js';
import { revertedCommits } from '../store/index.js';
import { parseUpdateTrailer } from './update-message.js';

/** An update commit that a later commit on the branch reverts. */
export interface RevertedUpdate {
  /** The revert commit. */
  revert: string;
  /** The update commit it undid. */
  reverted: string;
  /** The update's name and the tag that commit had set. */
  name: string;
  tag: string;
}

/**
 * The update commits reverted on the branch: walks first parents back from `head` (at most
 * `limit` commits, and not past `stop`, the head of the previous walk), and for every revert
 * (`This reverts commit <sha>.`, as Berth's rollback and `git revert` write it) reads the commit
 * it names; those carrying a `Berth-Image-Update` trailer are returned, oldest revert first. A
 * reverted commit missing from the repository is passed over.
 */
export async function revertedUpdates(
  gitdir: string,
  head: string,
  stop: string | undefined,
  limit = 200,
): Promise<RevertedUpdate[]> {
  const found: RevertedUpdate[] = [];
  const cache = {};
  let oid: string | undefined = head;
  for (let n = 0; oid && oid !== stop && n < limit; n++) {
    const current: string = oid;
    const { commit } = await git
      .readCommit({ fs: gitFs, gitdir, oid: current, cache })
      .catch(() => ({ commit: undefined }));
    if (!commit) break;
    for (const reverted of revertedCommits(commit.message)) {
      const target = await git
        .readCommit({ fs: gitFs, gitdir, oid: reverted, cache })
        .catch(() => undefined);
      const trailer = target && parseUpdateTrailer(target.commit.message);
      if (trailer) found.push({ revert: current, reverted, ...trailer });
    }
    oid = commit.parent[0];
  }
  return found.reverse();
}
