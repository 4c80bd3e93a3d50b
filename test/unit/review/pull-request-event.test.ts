import { describe, expect, it } from 'vitest';
import { parsePullRequest, parseWebhookEvent } from '../../../src/api/index.js';

const HEAD = 'c'.repeat(40);
const BASE = 'd'.repeat(40);
const githubLike = (action: string) => ({
  action,
  number: 7,
  pull_request: {
    number: 7,
    head: { ref: 'feature', sha: HEAD },
    base: { ref: 'main', sha: BASE },
  },
});
const gitlab = (action: string) => ({
  object_kind: 'merge_request',
  object_attributes: {
    iid: 3,
    action,
    source_branch: 'feature',
    target_branch: 'main',
    last_commit: { id: HEAD },
  },
});

describe('parsePullRequest', () => {
  it.each([
    ['github', 'opened', true],
    ['github', 'synchronize', true],
    ['github', 'reopened', true],
    ['github', 'closed', false],
    ['github', 'synchronized', false],
    ['gitea', 'opened', true],
    ['gitea', 'synchronized', true],
    ['gitea', 'reopened', true],
    ['gitea', 'edited', false],
  ] as const)('%s %s: reviewable %s', (provider, action, reviewable) => {
    expect(parsePullRequest(provider, githubLike(action))).toEqual({
      action,
      reviewable,
      number: 7,
      headSha: HEAD,
      headRef: 'feature',
      baseRef: 'main',
      base: BASE,
    });
  });

  it.each([
    ['open', true],
    ['update', true],
    ['reopen', true],
    ['merge', false],
    ['close', false],
  ])('gitlab %s: reviewable %s, compared with the target branch', (action, reviewable) => {
    expect(parsePullRequest('gitlab', gitlab(action))).toEqual({
      action,
      reviewable,
      number: 3,
      headSha: HEAD,
      headRef: 'feature',
      baseRef: 'main',
      base: 'main',
    });
  });

  it('names the missing fields of a payload Berth cannot use', () => {
    expect(parsePullRequest('github', { action: 'opened', pull_request: {} })).toMatch(
      /lacks number, head\.sha/,
    );
    expect(parsePullRequest('gitlab', { object_attributes: { iid: 1 } })).toMatch(
      /lacks object_attributes\.iid/,
    );
  });
});

describe('parseWebhookEvent for pull requests', () => {
  it('reads a GitHub pull_request event', () => {
    const event = parseWebhookEvent(
      'github',
      { 'x-github-event': 'pull_request', 'x-github-delivery': 'd-1' },
      Buffer.from(JSON.stringify(githubLike('opened'))),
    );
    expect(event).toMatchObject({
      delivery: 'd-1',
      kind: 'pull_request',
      pullRequest: { number: 7, headSha: HEAD },
    });
  });

  it('reads a GitLab Merge Request Hook', () => {
    const event = parseWebhookEvent(
      'gitlab',
      { 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-event-uuid': 'u-1' },
      Buffer.from(JSON.stringify(gitlab('update'))),
    );
    expect(event).toMatchObject({ kind: 'Merge Request Hook', pullRequest: { number: 3 } });
  });

  it('says what a pull-request body lacks (the handler answers 400 with it)', () => {
    const event = parseWebhookEvent(
      'gitea',
      { 'x-gitea-event': 'pull_request' },
      Buffer.from(JSON.stringify({ action: 'opened' })),
    );
    expect(event.pullRequest).toBeUndefined();
    expect(event.problem).toMatch(/lacks number, head\.sha/);
  });
});
