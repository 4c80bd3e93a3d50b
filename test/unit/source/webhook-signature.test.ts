import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  detectProvider,
  parseWebhookEvent,
  verifySignature,
  WebhookError,
} from '../../../src/api/index.js';

const SECRET = 'It5-a-secret';
const BODY = Buffer.from(JSON.stringify({ ref: 'refs/heads/main' }));
const hex = (secret: string, body: Buffer) =>
  createHmac('sha256', secret).update(body).digest('hex');
const good = hex(SECRET, BODY);
const bad = hex('other', BODY);

describe('detectProvider', () => {
  it.each([
    [{ 'x-hub-signature-256': 'sha256=00', 'x-github-event': 'push' }, 'github'],
    [{ 'x-gitlab-token': 't', 'x-gitlab-event': 'Push Hook' }, 'gitlab'],
    // Gitea and Forgejo also send GitHub's headers: theirs win.
    [
      { 'x-gitea-signature': '00', 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=00' },
      'gitea',
    ],
    [{ 'x-forgejo-signature': '00' }, 'gitea'],
    [{ 'x-berth-signature': 'sha256=00' }, 'generic'],
    [{ 'content-type': 'application/json' }, undefined],
  ])('%o is %s', (headers, provider) => {
    expect(detectProvider(headers)).toBe(provider);
  });
});

describe('verifySignature', () => {
  it.each([
    ['github', { 'x-hub-signature-256': `sha256=${good}` }, 'valid'],
    ['github', { 'x-hub-signature-256': `sha256=${bad}` }, 'invalid'],
    ['github', { 'x-hub-signature-256': good }, 'invalid'],
    ['github', { 'x-hub-signature-256': 'sha256=abc' }, 'invalid'],
    ['github', { 'x-hub-signature': 'sha1=00' }, 'missing'],
    ['gitea', { 'x-gitea-signature': good }, 'valid'],
    ['gitea', { 'x-gitea-signature': good.toUpperCase() }, 'valid'],
    ['gitea', { 'x-forgejo-signature': good }, 'valid'],
    ['gitea', { 'x-gitea-signature': bad }, 'invalid'],
    ['gitea', {}, 'missing'],
    ['gitlab', { 'x-gitlab-token': SECRET }, 'valid'],
    ['gitlab', { 'x-gitlab-token': `${SECRET}x` }, 'invalid'],
    ['gitlab', { 'x-gitlab-token': '' }, 'invalid'],
    ['gitlab', {}, 'missing'],
    ['generic', { 'x-berth-signature': `sha256=${good}` }, 'valid'],
    ['generic', { 'x-berth-signature': `sha256=${bad}` }, 'invalid'],
    ['generic', { 'x-berth-delivery': 'd' }, 'missing'],
  ] as const)('%s %o is %s', (provider, headers, expected) => {
    expect(verifySignature(provider, headers, BODY, SECRET)).toBe(expected);
  });

  it('signs the exact bytes: one changed byte is invalid', () => {
    const changed = Buffer.from(BODY);
    changed[changed.length - 2] = 0x41;
    expect(
      verifySignature('github', { 'x-hub-signature-256': `sha256=${good}` }, changed, SECRET),
    ).toBe('invalid');
  });
});

describe('parseWebhookEvent', () => {
  it('reads the delivery ID, the event and the ref of each provider', () => {
    expect(
      parseWebhookEvent('github', { 'x-github-event': 'push', 'x-github-delivery': 'g1' }, BODY),
    ).toEqual({
      delivery: 'g1',
      kind: 'push',
      ref: 'refs/heads/main',
    });
    expect(
      parseWebhookEvent('github', { 'x-github-event': 'ping', 'x-github-delivery': 'g2' }, BODY),
    ).toEqual({
      delivery: 'g2',
      kind: 'ping',
    });
    expect(
      parseWebhookEvent(
        'gitlab',
        { 'x-gitlab-event': 'Tag Push Hook', 'x-gitlab-event-uuid': 'l1' },
        BODY,
      ).kind,
    ).toBe('push');
    expect(parseWebhookEvent('gitlab', { 'x-gitlab-event': 'Merge Request Hook' }, BODY).kind).toBe(
      'Merge Request Hook',
    );
    expect(
      parseWebhookEvent('gitea', { 'x-forgejo-event': 'push', 'x-forgejo-delivery': 'f1' }, BODY)
        .delivery,
    ).toBe('f1');
  });

  it('falls back to a hash of the body when there is no delivery ID', () => {
    const a = parseWebhookEvent('generic', {}, BODY);
    expect(a.delivery).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parseWebhookEvent('generic', {}, Buffer.from(BODY)).delivery).toBe(a.delivery);
  });

  it('reads GitHub form-encoded payloads', () => {
    const form = Buffer.from(`payload=${encodeURIComponent(BODY.toString())}`);
    const event = parseWebhookEvent(
      'github',
      { 'content-type': 'application/x-www-form-urlencoded' },
      form,
    );
    expect(event.ref).toBe('refs/heads/main');
  });

  it.each([
    ['not json', 'the body is not JSON'],
    ['{"ref": 3}', 'no "ref"'],
    ['[]', 'no "ref"'],
  ])('refuses a push body %s with 400', (body, message) => {
    const run = () => parseWebhookEvent('generic', {}, Buffer.from(body));
    expect(run).toThrow(WebhookError);
    expect(run).toThrow(message);
  });
});
