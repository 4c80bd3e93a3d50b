/** A comment on a pull request (GitHub/Gitea issue comment, GitLab merge-request note). */
export interface ForgeComment {
  id: number;
  body: string;
}

/** A commit status as Berth posts it; each forge maps `failure` to its own word. */
export interface CommitStatus {
  sha: string;
  state: 'pending' | 'success' | 'failure';
  /** One line; forges cut it at 140 characters, so it is cut here first. */
  description: string;
  /** The status name, `berth/plan` by default: a later status of the same name replaces it. */
  context: string;
}

/**
 * What review needs from a forge, one adapter per forge (GitHub, GitLab, Gitea) over its client
 * library. `pr` is the pull-request number (GitLab: the merge request IID). Every method throws
 * {@link ForgeError} when the forge refuses or fails.
 */
export interface ForgeClient {
  /** Every comment on the pull request (all pages). */
  listComments(pr: number): Promise<ForgeComment[]>;
  createComment(pr: number, body: string): Promise<void>;
  updateComment(pr: number, id: number, body: string): Promise<void>;
  setStatus(status: CommitStatus): Promise<void>;
}
