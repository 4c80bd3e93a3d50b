import type { BerthConfig, SourceConfig } from '../config/index.js';
import type { ValidateOptions } from '../manifests/index.js';
import { commentMarker, type PlanReport, renderMarkdown } from '../plan/index.js';
import type { ForgeClient } from './forge-client.js';
import { planRef } from './plan-ref.js';
import { planStatus } from './plan-status.js';
import type { PullRequest } from './pull-request.js';
import { upsertComment } from './upsert-comment.js';

/** Options of {@link reviewPullRequest}. */
export interface ReviewOptions {
  config: BerthConfig;
  /** A source with `review` configured. */
  source: SourceConfig;
  pr: PullRequest;
  policy: ValidateOptions;
  /** Talks to the source's forge. */
  client: ForgeClient;
  env?: NodeJS.ProcessEnv;
}

/** What a review did. */
export interface ReviewOutcome {
  report: PlanReport;
  comment: 'created' | 'updated' | 'unchanged';
  state: 'success' | 'failure';
}

/**
 * Reviews one pull request: plans its head commit against its base commit, puts the Markdown
 * plan in the one Berth comment of the pull request (edited in place on later pushes), then sets
 * the commit status of the head. Throws SourceError when a commit cannot be read and
 * ForgeError when the forge fails; nothing is retried here.
 */
export async function reviewPullRequest(options: ReviewOptions): Promise<ReviewOutcome> {
  const { config, source, pr, policy, client } = options;
  const context = source.review?.statusContext ?? 'berth/plan';
  const env = options.env ? { env: options.env } : {};
  const report = await planHead(pr, (ref) =>
    planRef({ config, source, ref, against: pr.base, policy, ...env }),
  );
  const comment = await upsertComment(
    client,
    pr.number,
    commentMarker(source.name),
    renderMarkdown(report),
  );
  const status = planStatus(report, context);
  await client.setStatus(status);
  return { report, comment, state: status.state === 'success' ? 'success' : 'failure' };
}

/** Plans the head SHA; falls back to the head branch when that SHA cannot be fetched. */
async function planHead(
  pr: PullRequest,
  plan: (ref: string) => Promise<PlanReport>,
): Promise<PlanReport> {
  try {
    return await plan(pr.headSha);
  } catch (err) {
    if ((err as { code?: string }).code !== 'SourceRefNotFound' || !pr.headRef) throw err;
    return plan(pr.headRef);
  }
}
