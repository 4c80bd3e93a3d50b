import type { IncomingHttpHeaders } from 'node:http';

/** The name of the dashboard's session cookie. */
export const SESSION_COOKIE = 'berth_session';

/** The value of one cookie of a request's `Cookie` header, or undefined. */
export function readCookie(headers: IncomingHttpHeaders, name: string): string | undefined {
  const header = headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The `Set-Cookie` value of the session cookie: HttpOnly (no script reads it), SameSite=Strict
 * (no other site's page sends it), Path=/, Secure when the request came over TLS; `maxAge` 0
 * deletes it.
 */
export function sessionCookie(value: string, maxAge: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/**
 * Whether a request's `Origin` (when it sends one) is the server's own: `<scheme>://<Host>`.
 * Browsers send Origin on every cross-origin request and on same-origin POSTs.
 */
export function sameOrigin(headers: IncomingHttpHeaders, protocol: string): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  return origin === `${protocol}://${headers.host ?? ''}`;
}
