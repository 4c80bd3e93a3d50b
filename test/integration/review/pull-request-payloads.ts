import type { ForgeName } from '../../harness/fake-forge.js';
import { signedHeaders } from '../api/webhook-signing.js';

/** A pull request as a test describes it. */
export interface TestPullRequest {
  action: string;
  number: number;
  headSha: string;
  headRef: string;
  baseSha: string;
  baseRef: string;
}

/** The body each forge sends for a pull-request (GitLab: merge-request) event, per its docs. */
export function pullRequestBody(forge: ForgeName, pr: TestPullRequest): string {
  if (forge === 'gitlab') {
    return JSON.stringify({
      object_kind: 'merge_request',
      event_type: 'merge_request',
      project: { id: 42, path_with_namespace: 'team/shop' },
      object_attributes: {
        iid: pr.number,
        id: 9000 + pr.number,
        action: pr.action,
        state: 'opened',
        source_branch: pr.headRef,
        target_branch: pr.baseRef,
        source_project_id: 42,
        target_project_id: 42,
        last_commit: { id: pr.headSha, message: 'change' },
      },
    });
  }
  return JSON.stringify({
    action: pr.action,
    number: pr.number,
    pull_request: {
      number: pr.number,
      state: 'open',
      head: { ref: pr.headRef, sha: pr.headSha, repo: { full_name: 'team/shop' } },
      base: { ref: pr.baseRef, sha: pr.baseSha, repo: { full_name: 'team/shop' } },
    },
    repository: { full_name: 'team/shop' },
  });
}

const EVENT_HEADER: Record<ForgeName, [string, string]> = {
  github: ['x-github-event', 'pull_request'],
  gitea: ['x-gitea-event', 'pull_request'],
  gitlab: ['x-gitlab-event', 'Merge Request Hook'],
};

/** Headers of a pull-request webhook from `forge`, signed with `secret` as its pushes are. */
export function pullRequestHeaders(
  forge: ForgeName,
  secret: string,
  body: string,
): Record<string, string> {
  const [name, value] = EVENT_HEADER[forge];
  return { ...signedHeaders(forge, secret, body), [name]: value };
}
