import fs from 'node:fs';
import git from 'isomorphic-git';

/** What {@link writeCommit} writes. */
export interface CommitToWrite {
  /** The git directory to write to (a repository's `.git`, or a bare repository). */
  gitdir: string;
  message: string;
  tree: string;
  /** Its only parent: the branch tip the commit goes on top of. */
  parent: string;
  /** Author and committer. */
  author: { name: string; email: string };
  /** Commit time (UTC). Default now. */
  now?: Date;
}

/**
 * Writes one of Berth's own commits (a revert, an image update): one parent, the same author
 * and committer, the time in UTC. Moves no ref. Returns its sha.
 */
export async function writeCommit(c: CommitToWrite): Promise<string> {
  const signature = {
    ...c.author,
    timestamp: Math.floor((c.now ?? new Date()).getTime() / 1000),
    timezoneOffset: 0,
  };
  return git.writeCommit({
    fs,
    gitdir: c.gitdir,
    commit: {
      message: c.message,
      tree: c.tree,
      parent: [c.parent],
      author: signature,
      committer: signature,
    },
  });
}
