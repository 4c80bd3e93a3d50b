export { createForgeClient } from './create-forge-client.js';
export type { CommitStatus, ForgeClient, ForgeComment } from './forge-client.js';
export { ForgeError } from './forge-error.js';
export { type GiteaForgeOptions, giteaForge } from './gitea-forge.js';
export { type GithubForgeOptions, githubForge } from './github-forge.js';
export { type GitlabForgeOptions, gitlabForge } from './gitlab-forge.js';
export { ownRef, type PlanRefOptions, planObjects, planRef } from './plan-ref.js';
export { MAX_DESCRIPTION, planStatus } from './plan-status.js';
export type { PullRequest } from './pull-request.js';
export { PullRequestReviewer, type PullRequestReviewerOptions } from './pull-request-reviewer.js';
export {
  type ReviewOptions,
  type ReviewOutcome,
  reviewPullRequest,
} from './review-pull-request.js';
export { upsertComment } from './upsert-comment.js';
