/** What made a watcher look at its repository: the first look, a file-system event, the poll interval, a webhook, or a person. */
export type RevisionTrigger = 'start' | 'watch' | 'interval' | 'webhook' | 'manual' | 'retry';

/**
 * One commit of a source, resolved from git objects: the commit, the ref it was reached
 * through, and the tree under the source's path. Two revisions with the same `treeSha` deploy
 * the same files.
 */
export interface Revision {
  /** Name of the source (from `berth.yaml`). */
  source: string;
  /** Commit SHA (40 hex digits). */
  sha: string;
  /** The ref followed: `refs/heads/<branch>`, `refs/tags/<tag>`, or the pinned commit SHA. */
  ref: string;
  /** The source's path inside the repository (`.` for the root). */
  path: string;
  /** SHA of the tree at `path` in this commit. */
  treeSha: string;
  /** First line of the commit message. */
  subject: string;
  /** The whole commit message (a revert's names the commits it reverts). */
  message: string;
  /** `Name <email>` of the commit's author. */
  author: string;
  /** Commit time (committer), ISO 8601. */
  committedAt: string;
}
