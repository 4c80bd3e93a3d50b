import type { BerthConfig, SourceConfig } from '../config/index.js';
import type { ValidateOptions } from '../manifests/index.js';
import { BerthError, errorMessage } from '../util/berth-error.js';
import type { Logger } from '../util/logger.js';
import { createForgeClient } from './create-forge-client.js';
import type { ForgeClient } from './forge-client.js';
import type { PullRequest } from './pull-request.js';
import { type ReviewOutcome, reviewPullRequest } from './review-pull-request.js';

/** Options of {@link PullRequestReviewer}. */
export interface PullRequestReviewerOptions {
  config: BerthConfig;
  policy: ValidateOptions;
  logger: Logger;
  /** Environment tokens and git credentials are read from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Builds the forge adapter of a source. Default {@link createForgeClient}. */
  client?: (source: SourceConfig) => ForgeClient;
}

/**
 * Runs pull-request reviews in the background for the daemon: reviews of one pull request run
 * one at a time in arrival order (so two quick pushes never create two comments), and every
 * failure (forge 401/404/5xx, unreadable commit, missing token) is logged with its status and
 * swallowed: a review never crashes Berth.
 */
export class PullRequestReviewer {
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(private readonly options: PullRequestReviewerOptions) {}

  /** Queues a review of `pr`; resolves with its outcome, or undefined when it failed (logged). */
  review(source: SourceConfig, pr: PullRequest): Promise<ReviewOutcome | undefined> {
    const key = `${source.name}#${pr.number}`;
    const run = (this.chains.get(key) ?? Promise.resolve()).then(() => this.run(source, pr));
    const tail = run.finally(() => {
      if (this.chains.get(key) === tail) this.chains.delete(key);
    });
    this.chains.set(key, tail);
    return run;
  }

  /** Resolves when every queued review has finished. */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.all(this.chains.values());
  }

  private async run(source: SourceConfig, pr: PullRequest): Promise<ReviewOutcome | undefined> {
    const { logger } = this.options;
    const facts = { source: source.name, pr: pr.number, head: pr.headSha.slice(0, 7) };
    try {
      const env = this.options.env ?? process.env;
      const client = this.options.client?.(source) ?? createForgeClient(reviewOf(source), env);
      const outcome = await reviewPullRequest({
        config: this.options.config,
        source,
        pr,
        policy: this.options.policy,
        client,
        env,
      });
      const s = outcome.report.plan?.summary;
      logger.info(
        { ...facts, comment: outcome.comment, state: outcome.state },
        `source ${source.name}: pull request #${pr.number} reviewed: ${outcome.state}${s ? ` (${s.create} to create, ${s.update} to update, ${s.delete} to delete)` : ''}, comment ${outcome.comment}`,
      );
      return outcome;
    } catch (err) {
      const code = err instanceof BerthError ? err.code : 'InternalError';
      const status = (err as { status?: unknown }).status;
      logger.error(
        { ...facts, code, ...(typeof status === 'number' ? { status } : {}) },
        `source ${source.name}: review of pull request #${pr.number} failed: ${errorMessage(err)}`,
      );
      return undefined;
    }
  }
}

function reviewOf(source: SourceConfig): NonNullable<SourceConfig['review']> {
  if (!source.review)
    throw new BerthError('ReviewNotConfigured', `source ${source.name} has no review`);
  return source.review;
}
