import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

/** What a route lets a client do: `hook` (webhooks: HMAC), `read` (stored state), `act` (make Berth work). */
export type RouteAccess = 'hook' | 'read' | 'act';

/** Who reads stored state without the token: loopback clients, or nobody. */
export type AnonymousRead = 'loopback' | 'none';

/** True for 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (a === '::1') return true;
  return isIP(a) === 4 && a.startsWith('127.');
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  if (typeof value !== 'string') return undefined;
  const m = /^Bearer +([!-~]{1,512})$/i.exec(value);
  return m?.[1];
}

/** Constant-time comparison of a presented token with the instance's. */
export function tokenMatches(presented: string | undefined, token: string | undefined): boolean {
  if (presented === undefined || token === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether a request may use a route: `hook` always (the handler verifies the signature); `act`
 * with the token; `read` with the token, or without one from a loopback client when
 * `anonymousRead` is `loopback`. A wrong token is refused even on loopback.
 */
export function allowed(
  access: RouteAccess,
  request: { headers: IncomingHttpHeaders; ip: string },
  token: string | undefined,
  anonymousRead: AnonymousRead,
): 'ok' | 'missing' | 'invalid' {
  if (access === 'hook') return 'ok';
  const presented = bearerToken(request.headers);
  if (presented !== undefined) return tokenMatches(presented, token) ? 'ok' : 'invalid';
  if (access === 'read' && anonymousRead === 'loopback' && isLoopback(request.ip)) return 'ok';
  return 'missing';
}
