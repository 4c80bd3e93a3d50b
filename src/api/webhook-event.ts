import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  isPullRequestKind,
  type PullRequestEvent,
  parsePullRequest,
} from './pull-request-event.js';
import { WebhookError } from './webhook-error.js';
import { header, type WebhookProvider } from './webhook-provider.js';

/** What a verified webhook says: which delivery, what kind of event, which ref moved. */
export interface WebhookEvent {
  /**
   * The provider's delivery ID (`X-GitHub-Delivery`, `X-Gitea-Delivery`/`X-Forgejo-Delivery`,
   * `X-Gitlab-Event-UUID`, `X-Berth-Delivery`), or `sha256:<hex of the body>` when the request
   * has none (a push body names the before and after commits, so equal bodies are replays).
   */
  delivery: string;
  /** `push` for a branch or tag push, `ping` for a forge's test hook, else the provider's event name. */
  kind: string;
  /** The full ref pushed (`refs/heads/main`), for a push. */
  ref?: string;
  /** For a pull-request event (`pull_request`, GitLab `Merge Request Hook`) Berth can read. */
  pullRequest?: PullRequestEvent;
  /** Why a pull-request payload cannot be read (a missing field): the handler answers 400. */
  problem?: string;
}

const DELIVERY_HEADERS: Record<WebhookProvider, string[]> = {
  github: ['x-github-delivery'],
  gitea: ['x-gitea-delivery', 'x-forgejo-delivery'],
  gitlab: ['x-gitlab-event-uuid'],
  generic: ['x-berth-delivery'],
};

/**
 * Parses a verified request. Throws {@link WebhookError} 400 for a body that is not a push
 * payload; a pull-request payload lacking a field comes back with `problem` set.
 */
export function parseWebhookEvent(
  provider: WebhookProvider,
  headers: IncomingHttpHeaders,
  body: Buffer,
): WebhookEvent {
  const delivery =
    DELIVERY_HEADERS[provider].map((h) => header(headers, h)).find((v) => v) ??
    `sha256:${createHash('sha256').update(body).digest('hex')}`;
  if (delivery.length > 200) {
    throw new WebhookError(
      400,
      'WebhookBadRequest',
      'the delivery ID is longer than 200 characters',
    );
  }
  const kind = eventKind(provider, headers);
  if (provider !== 'generic' && isPullRequestKind(provider, kind)) {
    const pullRequest = parsePullRequest(provider, parsePayload(headers, body) ?? {});
    return typeof pullRequest === 'string'
      ? { delivery, kind, problem: pullRequest }
      : { delivery, kind, pullRequest };
  }
  if (kind !== 'push') return { delivery, kind };
  const payload = parsePayload(headers, body);
  const ref = payload?.ref;
  if (typeof ref !== 'string' || !ref.startsWith('refs/')) {
    throw new WebhookError(
      400,
      'WebhookBadPayload',
      'the push payload has no "ref" like "refs/heads/main"',
      { provider },
    );
  }
  return { delivery, kind, ref };
}

function eventKind(provider: WebhookProvider, headers: IncomingHttpHeaders): string {
  switch (provider) {
    case 'github':
      return header(headers, 'x-github-event') ?? 'push';
    case 'gitea':
      return header(headers, 'x-gitea-event') ?? header(headers, 'x-forgejo-event') ?? 'push';
    case 'gitlab': {
      const event = header(headers, 'x-gitlab-event') ?? 'Push Hook';
      return event === 'Push Hook' || event === 'Tag Push Hook' ? 'push' : event;
    }
    case 'generic':
      return header(headers, 'x-berth-event') ?? 'push';
  }
}

function parsePayload(
  headers: IncomingHttpHeaders,
  body: Buffer,
): Record<string, unknown> | undefined {
  let text = body.toString('utf8');
  // GitHub can send `application/x-www-form-urlencoded` with the JSON in `payload`.
  if ((header(headers, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')) {
    text = new URLSearchParams(text).get('payload') ?? '';
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    throw new WebhookError(400, 'WebhookBadPayload', 'the body is not JSON');
  }
}
