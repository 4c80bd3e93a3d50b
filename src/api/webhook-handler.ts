import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { readSecret, type SourceConfig } from '../config/index.js';
import type { WebhookDeliveries } from '../store/index.js';
import { errorMessage } from '../util/berth-error.js';
import type { Logger } from '../util/logger.js';
import type { PullRequestEvent } from './pull-request-event.js';
import { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
import { readBody } from './read-body.js';
import { verifySignature } from './verify-signature.js';
import { WebhookError } from './webhook-error.js';
import { parseWebhookEvent, type WebhookEvent } from './webhook-event.js';
import { detectProvider, header, type WebhookProvider } from './webhook-provider.js';

/** A source a webhook can wake: its configuration and its watcher's `refresh`. */
export interface WebhookTarget {
  source: SourceConfig;
  /** Starts a fetch; called after the 202 is sent. Its outcome is the watcher's (status, events). */
  refresh(trigger: 'webhook'): unknown;
}

/** Options of {@link WebhookHandler}. */
export interface WebhookHandlerOptions {
  /** The source a webhook URL names, or undefined (404). */
  target: (name: string) => WebhookTarget | undefined;
  /** The replay guard (Redis, shared by every Berth process of the instance). */
  deliveries: WebhookDeliveries;
  /** Largest body accepted. Default 1 MiB; larger is refused with 413. */
  maxBodyBytes?: number;
  /** Per-source rate limit (429 past it). Default burst 20, 60 per minute. */
  rateLimit?: RateLimiterOptions;
  /**
   * Starts the review of a pull request to a source's tracked branch (only for sources with
   * `review`); called after the 202 is sent, its outcome is logged by the reviewer. Without it,
   * pull-request events are acknowledged and ignored.
   */
  onPullRequest?: (source: SourceConfig, pr: PullRequestEvent) => unknown;
  /** Environment the webhook secrets are read from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
}

/** The answer to a webhook: an HTTP status and a JSON body. `after` runs once the answer is sent. */
export interface WebhookResponse {
  status: number;
  body: Record<string, unknown>;
  after?: () => void;
}

/**
 * Handles `POST /api/v1/webhooks/<source>`: body cap, provider detection, constant-time
 * verification, then the rate limit (valid deliveries only), the replay guard (delivery ID, and
 * signature with body), then a fetch of the source when the push is to its
 * tracked branch (or tag), or a review when a pull request to its tracked branch is opened or
 * updated. Refusals are {@link WebhookError}s; nothing happens on a refusal.
 */
export class WebhookHandler {
  private readonly limiter: RateLimiter;
  private readonly maxBodyBytes: number;
  private readonly env: NodeJS.ProcessEnv;

  constructor(private readonly options: WebhookHandlerOptions) {
    this.limiter = new RateLimiter(options.rateLimit);
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.env = options.env ?? process.env;
  }

  /** Answers one request for the source `name`. Throws {@link WebhookError} on a refusal. */
  async handle(name: string, req: IncomingMessage): Promise<WebhookResponse> {
    const target = this.options.target(name);
    if (!target)
      throw new WebhookError(404, 'SourceNotFound', `no source named "${name}"`, { source: name });
    const { source } = target;
    if (!source.webhookSecret) {
      throw new WebhookError(
        403,
        'WebhookNotConfigured',
        `source ${name} has no webhookSecret: its webhooks are refused`,
        { source: name },
      );
    }
    const body = await readBody(req, this.maxBodyBytes);
    const provider = detectProvider(req.headers);
    if (!provider) {
      throw new WebhookError(
        401,
        'WebhookUnsigned',
        'the request carries no signature header Berth knows (X-Hub-Signature-256, X-Gitlab-Token, X-Gitea-Signature, X-Berth-Signature)',
        { source: name },
      );
    }
    this.verify(provider, name, source, req, body);
    // Only deliveries signed with the source's secret count against its rate limit: forged
    // ones must not use it up and lock the real forge out.
    const waitMs = this.limiter.take(name);
    if (waitMs > 0) {
      throw new WebhookError(429, 'WebhookRateLimited', `too many webhooks for source ${name}`, {
        source: name,
        retryAfterSeconds: Math.ceil(waitMs / 1000),
      });
    }
    const event = parseWebhookEvent(provider, req.headers, body);
    if (event.problem)
      throw new WebhookError(400, 'WebhookBadPayload', event.problem, { source: name, provider });
    const facts = { source: name, provider, delivery: event.delivery };
    if (!(await this.claim(name, event.delivery))) {
      return {
        status: 200,
        body: { status: 'duplicate', ...facts, reason: 'this delivery ID was already accepted' },
      };
    }
    // A signed body replayed under a new delivery ID: the same (signature, body) within the
    // replay window is the same delivery.
    if (!(await this.claim(name, payloadId(provider, req, body)))) {
      return {
        status: 200,
        body: {
          status: 'duplicate',
          ...facts,
          reason: 'this signed payload was already accepted under another delivery ID',
        },
      };
    }
    if (event.pullRequest) return this.pullRequest(source, event, facts);
    if (event.kind !== 'push') {
      return {
        status: 202,
        body: { status: 'ignored', ...facts, reason: `the event "${event.kind}" is not a push` },
      };
    }
    const tracked = trackedRef(source);
    if (event.ref !== tracked) {
      const reason = tracked
        ? `${event.ref} is not the tracked ${tracked}`
        : `the source is pinned to commit ${'commit' in source.ref ? source.ref.commit : ''}`;
      return { status: 202, body: { status: 'ignored', ...facts, ref: event.ref, reason } };
    }
    return {
      status: 202,
      body: { status: 'accepted', ...facts, ref: event.ref, action: 'fetch' },
      after: () => {
        Promise.resolve()
          .then(() => target.refresh('webhook'))
          .catch((err: unknown) =>
            this.options.logger?.error(
              { source: name, err: errorMessage(err) },
              `source ${name}: webhook fetch failed`,
            ),
          );
      },
    };
  }

  private pullRequest(
    source: SourceConfig,
    event: WebhookEvent,
    facts: Record<string, unknown>,
  ): WebhookResponse {
    const pr = event.pullRequest as PullRequestEvent;
    const name = source.name;
    const about = { ...facts, pullRequest: pr.number, pullRequestAction: pr.action };
    const ignored = (reason: string) => ({
      status: 202,
      body: { status: 'ignored', ...about, reason },
    });
    const onPullRequest = this.options.onPullRequest;
    if (!source.review || !onPullRequest) return ignored(`source ${name} has no review configured`);
    if (!pr.reviewable) return ignored(`the pull request action "${pr.action}" is not reviewed`);
    if (!('branch' in source.ref) || pr.baseRef !== source.ref.branch) {
      const tracked = 'branch' in source.ref ? `branch ${source.ref.branch}` : 'no branch';
      return ignored(`the pull request is to ${pr.baseRef}; the source tracks ${tracked}`);
    }
    return {
      status: 202,
      body: { status: 'accepted', ...about, head: pr.headSha, action: 'review' },
      after: () => {
        Promise.resolve()
          .then(() => onPullRequest(source, pr))
          .catch((err: unknown) =>
            this.options.logger?.error(
              { source: name, pullRequest: pr.number, err: errorMessage(err) },
              `source ${name}: review of pull request #${pr.number} failed`,
            ),
          );
      },
    };
  }

  private verify(
    provider: WebhookProvider,
    name: string,
    source: SourceConfig,
    req: IncomingMessage,
    body: Buffer,
  ): void {
    let secret: string;
    try {
      secret = readSecret(
        source.webhookSecret as NonNullable<SourceConfig['webhookSecret']>,
        this.env,
      );
    } catch (err) {
      this.options.logger?.error(
        { source: name, err: errorMessage(err) },
        `source ${name}: cannot read the webhook secret`,
      );
      throw new WebhookError(
        500,
        'WebhookSecretUnavailable',
        `the webhook secret of source ${name} cannot be read`,
        {
          source: name,
        },
      );
    }
    const check = verifySignature(provider, req.headers, body, secret);
    if (check === 'missing') {
      throw new WebhookError(
        401,
        'WebhookUnsigned',
        `the ${provider} request carries no signature`,
        {
          source: name,
          provider,
        },
      );
    }
    if (check === 'invalid') {
      throw new WebhookError(
        403,
        'WebhookSignatureInvalid',
        `the ${provider} signature does not match`,
        {
          source: name,
          provider,
        },
      );
    }
  }

  private async claim(name: string, delivery: string): Promise<boolean> {
    try {
      return await this.options.deliveries.claim(name, delivery);
    } catch (err) {
      this.options.logger?.error(
        { source: name, err: errorMessage(err) },
        'webhook replay guard unavailable',
      );
      throw new WebhookError(
        503,
        'WebhookStoreUnavailable',
        'the replay guard (Redis) is unavailable; retry later',
        {
          source: name,
        },
      );
    }
  }
}

/** The replay key of a signed payload: a hash of its signature (or token) and its body. */
function payloadId(provider: WebhookProvider, req: IncomingMessage, body: Buffer): string {
  const signature = header(req.headers, SIGNATURE_HEADERS[provider]) ?? '';
  const h = createHash('sha256').update(signature).update('\0').update(body);
  return `payload-${h.digest('hex')}`;
}

const SIGNATURE_HEADERS: Record<WebhookProvider, string> = {
  github: 'x-hub-signature-256',
  gitlab: 'x-gitlab-token',
  gitea: 'x-gitea-signature',
  generic: 'x-berth-signature',
};

function trackedRef(source: SourceConfig): string | undefined {
  if ('branch' in source.ref) return `refs/heads/${source.ref.branch}`;
  if ('tag' in source.ref) return `refs/tags/${source.ref.tag}`;
  return undefined;
}
