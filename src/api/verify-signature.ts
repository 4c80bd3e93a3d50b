import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { header, type WebhookProvider } from './webhook-provider.js';

/** Outcome of {@link verifySignature}: `missing` answers 401, `invalid` 403. */
export type SignatureCheck = 'valid' | 'missing' | 'invalid';

/**
 * Checks a webhook's signature in constant time:
 * - github: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`
 * - gitea/forgejo: `X-Gitea-Signature` (or `X-Forgejo-Signature`): `<hex HMAC-SHA256(secret, body)>`
 * - gitlab: `X-Gitlab-Token: <secret>` (a shared token, not a signature)
 * - generic: `X-Berth-Signature: sha256=<hex HMAC-SHA256(secret, body)>`
 */
export function verifySignature(
  provider: WebhookProvider,
  headers: IncomingHttpHeaders,
  body: Buffer,
  secret: string,
): SignatureCheck {
  if (provider === 'gitlab') {
    const token = header(headers, 'x-gitlab-token');
    if (token === undefined) return 'missing';
    return equalDigests(sha256(token), sha256(secret)) ? 'valid' : 'invalid';
  }
  const given =
    provider === 'github'
      ? prefixed(header(headers, 'x-hub-signature-256'))
      : provider === 'generic'
        ? prefixed(header(headers, 'x-berth-signature'))
        : (header(headers, 'x-gitea-signature') ?? header(headers, 'x-forgejo-signature'));
  if (given === undefined || given === '') return 'missing';
  const expected = createHmac('sha256', secret).update(body).digest();
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return 'invalid';
  return equalDigests(Buffer.from(given, 'hex'), expected) ? 'valid' : 'invalid';
}

function prefixed(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.startsWith('sha256=') ? value.slice('sha256='.length) : 'not-sha256';
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function equalDigests(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
