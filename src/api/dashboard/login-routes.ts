import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tokenMatches } from '../client-access.js';
import { sameOrigin, sessionCookie } from '../session-cookie.js';
import type { SessionStore } from '../session-store.js';
import { type Html, html } from './html.js';

/** What {@link registerLogin} needs. */
export interface LoginOptions {
  sessions: SessionStore;
  /** The API token; without one nobody can log in. */
  token: string | undefined;
  /** Sends a page in the dashboard's layout with a status code. */
  send(
    request: FastifyRequest,
    reply: FastifyReply,
    page: { title: string; main: Html },
    code: number,
  ): Promise<FastifyReply>;
}

/** Where to go after logging in: a path of this server (`/…`, not `//…`), else `/`. */
export function localPath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 2048) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || /[\\\s]/.test(next)) return '/';
  if (next.startsWith('/login') || next.startsWith('/logout')) return '/';
  return next;
}

/**
 * The dashboard's login (anyone, rate-limited as an action): `GET /login?next=` a form that
 * takes the API token; `POST /login` (form: `token`, `next`) starts a session when the token
 * is right — a random opaque id in an HttpOnly, SameSite=Strict cookie (Secure over TLS),
 * never the token — and goes to `next`; a wrong one answers 401 with the form again.
 * `POST /logout` (form: `csrf`, the session's CSRF token) ends the session.
 */
export async function registerLogin(app: FastifyInstance, options: LoginOptions): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 8192 },
      (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    const config = { access: 'public' as const };
    const hide = { hide: true };
    scope.get<{ Querystring: { next?: string } }>(
      '/login',
      { config, schema: hide },
      async (request, reply) => {
        const next = localPath(request.query.next);
        if (request.session) return reply.redirect(next, 303);
        return options.send(request, reply, loginPage(next, undefined), 200);
      },
    );
    scope.post<{ Body: Record<string, string> | undefined }>(
      '/login',
      { config, schema: hide },
      async (request, reply) => {
        const body = request.body ?? {};
        const next = localPath(body.next);
        if (!sameOrigin(request.headers, request.protocol)) {
          return options.send(
            request,
            reply,
            loginPage(next, "Log in from this server's own page."),
            403,
          );
        }
        if (!options.token || !tokenMatches(body.token, options.token)) {
          return options.send(
            request,
            reply,
            loginPage(next, 'That is not the API token of this Berth.'),
            401,
          );
        }
        if (request.session) options.sessions.delete(request.session.id);
        const session = options.sessions.create();
        return reply
          .header(
            'set-cookie',
            sessionCookie(session.id, options.sessions.ttlSeconds, request.protocol === 'https'),
          )
          .redirect(next, 303);
      },
    );
    scope.post<{ Body: Record<string, string> | undefined }>(
      '/logout',
      { config, schema: hide },
      async (request, reply) => {
        const session = request.session;
        const csrf = request.body?.csrf;
        if (
          session &&
          (!sameOrigin(request.headers, request.protocol) || !tokenMatches(csrf, session.csrf))
        ) {
          return options.send(
            request,
            reply,
            {
              title: 'Log out',
              main: html`<h1>Log out</h1><p role="alert">Log out from this server's own page.</p>`,
            },
            403,
          );
        }
        if (session) options.sessions.delete(session.id);
        return reply
          .header('set-cookie', sessionCookie('', 0, request.protocol === 'https'))
          .redirect('/login', 303);
      },
    );
  });
}

function loginPage(next: string, error: string | undefined): { title: string; main: Html } {
  return {
    title: 'Log in',
    main: html`<h1>Log in</h1>
<p>Berth's dashboard needs the API token here (<code>api.token</code>, or the file <code>&lt;stateDir&gt;/api-token</code> on the Berth host).</p>
${error ? html`<p class="msg" role="alert" id="login-error">${error}</p>` : ''}
<form method="post" action="/login" class="login">
<label>API token <input type="password" name="token" autocomplete="off" required${error ? html` aria-describedby="login-error"` : ''}></label>
<input type="hidden" name="next" value="${next}">
<button type="submit">Log in</button>
</form>`,
  };
}
