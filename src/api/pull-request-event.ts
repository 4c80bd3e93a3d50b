import type { WebhookProvider } from './webhook-provider.js';

/** A pull-request (GitLab: merge-request) webhook, reduced to what a review needs. */
export interface PullRequestEvent {
  /** The forge's action: `opened`, `synchronize`, `synchronized`, `open`, `update`... */
  action: string;
  /** True for the actions that (re)plan: opened/synchronize/reopened (GitHub), opened/synchronized/reopened (Gitea), open/update/reopen (GitLab). */
  reviewable: boolean;
  /** Number (GitLab: IID). */
  number: number;
  headSha: string;
  /** Head branch name. */
  headRef: string;
  /** Base branch name, without `refs/heads/`. */
  baseRef: string;
  /** Base commit SHA when the payload has one, else the base branch name (GitLab). */
  base: string;
}

const REVIEWABLE: Record<'github' | 'gitea' | 'gitlab', string[]> = {
  github: ['opened', 'synchronize', 'reopened'],
  gitea: ['opened', 'synchronized', 'reopened'],
  gitlab: ['open', 'update', 'reopen'],
};

/** True when `kind` (a provider's event name) is a pull-request event Berth reads. */
export function isPullRequestKind(provider: WebhookProvider, kind: string): boolean {
  return (
    ((provider === 'github' || provider === 'gitea') && kind === 'pull_request') ||
    (provider === 'gitlab' && kind === 'Merge Request Hook')
  );
}

/**
 * The pull request a verified payload describes, or a reason string when a field Berth needs is
 * missing (the request is then refused with 400).
 */
export function parsePullRequest(
  provider: 'github' | 'gitea' | 'gitlab',
  payload: Record<string, unknown>,
): PullRequestEvent | string {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  if (provider === 'gitlab') {
    const a = obj(payload.object_attributes);
    const action = str(a.action) ?? '';
    const number = a.iid;
    const headSha = str(obj(a.last_commit).id);
    const headRef = str(a.source_branch);
    const baseRef = str(a.target_branch);
    if (typeof number !== 'number' || !headSha || !headRef || !baseRef)
      return 'the merge request payload lacks object_attributes.iid, last_commit.id, source_branch or target_branch';
    const reviewable = REVIEWABLE.gitlab.includes(action);
    return { action, reviewable, number, headSha, headRef, baseRef, base: baseRef };
  }
  const pr = obj(payload.pull_request);
  const head = obj(pr.head);
  const baseSide = obj(pr.base);
  const action = str(payload.action) ?? '';
  const number = typeof pr.number === 'number' ? pr.number : payload.number;
  const headSha = str(head.sha);
  const headRef = str(head.ref);
  const baseRef = str(baseSide.ref);
  if (typeof number !== 'number' || !headSha || !headRef || !baseRef)
    return 'the pull_request payload lacks number, head.sha, head.ref or base.ref';
  const reviewable = REVIEWABLE[provider].includes(action);
  return {
    action,
    reviewable,
    number,
    headSha,
    headRef,
    baseRef: baseRef.replace(/^refs\/heads\//, ''),
    base: str(baseSide.sha) ?? baseRef,
  };
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
