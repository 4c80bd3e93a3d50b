import type { IncomingHttpHeaders } from 'node:http';

/** The forges Berth understands, plus a generic HMAC-SHA256 form for anything else. */
export type WebhookProvider = 'github' | 'gitlab' | 'gitea' | 'generic';

/** One header, first value, or undefined. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The provider a request comes from, told by its headers. Gitea and Forgejo are checked first
 * (they also send GitHub-style headers), then GitLab, GitHub, and the generic form.
 * `undefined` when none is recognizable: the request is unsigned.
 */
export function detectProvider(headers: IncomingHttpHeaders): WebhookProvider | undefined {
  const has = (name: string) => header(headers, name) !== undefined;
  if (['x-gitea-signature', 'x-gitea-event', 'x-forgejo-signature', 'x-forgejo-event'].some(has))
    return 'gitea';
  if (['x-gitlab-token', 'x-gitlab-event'].some(has)) return 'gitlab';
  if (['x-hub-signature-256', 'x-github-event'].some(has)) return 'github';
  if (['x-berth-signature', 'x-berth-delivery', 'x-berth-event'].some(has)) return 'generic';
  return undefined;
}
