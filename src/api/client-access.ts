import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { sameOrigin } from './session-cookie.js';

/**
 * What a route lets a client do: `hook` (webhooks: HMAC), `read` (stored state), `act` (make
 * Berth work), `public` (the login page: anyone, rate-limited as an action).
 */
export type RouteAccess = 'hook' | 'read' | 'act' | 'public';

/**
 * The access class of a request to a route: the one the route declares (`config.access`), else
 * `read` for GET and HEAD and `act` for any other method, so that a route registered without
 * one never lets an anonymous client change anything.
 */
export function routeAccess(method: string, declared: RouteAccess | undefined): RouteAccess {
  return declared ?? (method === 'GET' || method === 'HEAD' ? 'read' : 'act');
}

/** The header an action made with the session cookie carries the session's CSRF token in. */
export const CSRF_HEADER = 'x-berth-csrf';

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
 * Whether a request may use a route: `hook` and `public` always (the handler checks); `act`
 * with the token, or with a live session (its cookie) that sends the session's CSRF token in
 * `x-berth-csrf` from the server's own origin (`csrf` otherwise); `read` with the token, a live
 * session, or from a loopback client when `anonymousRead` is `loopback`. A wrong token is
 * refused even on loopback.
 */
export function allowed(
  access: RouteAccess,
  request: { headers: IncomingHttpHeaders; ip: string; protocol: string },
  token: string | undefined,
  anonymousRead: AnonymousRead,
  session?: { csrf: string },
): 'ok' | 'missing' | 'invalid' | 'csrf' {
  if (access === 'hook' || access === 'public') return 'ok';
  const presented = bearerToken(request.headers);
  if (presented !== undefined) return tokenMatches(presented, token) ? 'ok' : 'invalid';
  if (session) {
    if (access === 'read') return 'ok';
    const csrf = request.headers[CSRF_HEADER];
    return typeof csrf === 'string' &&
      tokenMatches(csrf, session.csrf) &&
      sameOrigin(request.headers, request.protocol)
      ? 'ok'
      : 'csrf';
  }
  if (access === 'read' && anonymousRead === 'loopback' && isLoopback(request.ip)) return 'ok';
  return 'missing';
}
