import { createHmac, randomUUID } from 'node:crypto';

/** The providers a test can sign for, as the forges sign their push webhooks. */
export type Provider = 'github' | 'gitlab' | 'gitea' | 'generic';

/** A push payload as every forge sends it (the fields Berth reads, plus some noise). */
export function pushBody(ref: string, after = 'a'.repeat(40)): string {
  return JSON.stringify({ ref, before: '0'.repeat(40), after, repository: { name: 'app' } });
}

const hmac = (secret: string, body: string) =>
  createHmac('sha256', secret).update(body).digest('hex');

/** Headers of a push webhook from `provider`, signed with `secret`, with delivery ID `delivery`. */
export function signedHeaders(
  provider: Provider,
  secret: string,
  body: string,
  delivery: string = randomUUID(),
): Record<string, string> {
  const json = { 'content-type': 'application/json' };
  switch (provider) {
    case 'github':
      return {
        ...json,
        'x-github-event': 'push',
        'x-github-delivery': delivery,
        'x-hub-signature-256': `sha256=${hmac(secret, body)}`,
      };
    case 'gitlab':
      return {
        ...json,
        'x-gitlab-event': 'Push Hook',
        'x-gitlab-event-uuid': delivery,
        'x-gitlab-token': secret,
      };
    case 'gitea':
      return {
        ...json,
        'x-gitea-event': 'push',
        'x-gitea-delivery': delivery,
        'x-gitea-signature': hmac(secret, body),
      };
    case 'generic':
      return {
        ...json,
        'x-berth-delivery': delivery,
        'x-berth-signature': `sha256=${hmac(secret, body)}`,
      };
  }
}

/** The header carrying the signature (or token) of `provider`. */
export const SIGNATURE_HEADER: Record<Provider, string> = {
  github: 'x-hub-signature-256',
  gitlab: 'x-gitlab-token',
  gitea: 'x-gitea-signature',
  generic: 'x-berth-signature',
};
