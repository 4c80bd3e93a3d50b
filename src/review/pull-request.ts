/** A pull request (GitLab: merge request) to review, as its webhook describes it. */
export interface PullRequest {
  /** Number (GitLab: IID) the forge's API addresses it by. */
  number: number;
  /** Commit at the tip of the head branch: what is planned and where the status goes. */
  headSha: string;
  /** Head branch name, used when the head commit cannot be fetched by its SHA. */
  headRef?: string;
  /**
   * What the head is compared with: the base branch's tip commit as the webhook saw it (GitHub,
   * Gitea), or the base branch name when the webhook carries no SHA for it (GitLab).
   */
  base: string;
}
