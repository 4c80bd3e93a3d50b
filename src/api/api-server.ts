import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { PlanReport } from '../plan/index.js';
import type { Logger } from '../util/logger.js';
import { STORE_ID_HEADER } from '../util/store-id.js';
import type { ApiActions } from './action-routes.js';
import { registerActionRoutes } from './action-routes.js';
import { ApiError } from './api-error.js';
import {
  type AnonymousRead,
  allowed,
  CSRF_HEADER,
  type RouteAccess,
  routeAccess,
} from './client-access.js';
import { registerDashboard } from './dashboard/dashboard-routes.js';
import { registerMetricsRoute } from './metrics-route.js';
import { collectOpenApi, type OpenApiDocument } from './openapi.js';
import { registerPlanRoute } from './plan-routes.js';
import { RateLimiter, type RateLimiterOptions } from './rate-limiter.js';
import { readCookie, SESSION_COOKIE } from './session-cookie.js';
import { type Session, SessionStore } from './session-store.js';
import type { StateReader } from './state-reader.js';
import { registerStateRoutes } from './state-routes.js';
import type { WebhookHandler } from './webhook-handler.js';
import { registerWebhookRoutes } from './webhook-routes.js';

/** Options of {@link startApiServer}. */
export interface ApiServerOptions {
  /** Address to listen on. Default `127.0.0.1` (config `api.listen`). */
  host?: string;
  /** Port; 0 picks a free one. Default 7433. */
  port?: number;
  /**
   * The bearer token (`Authorization: Bearer <token>`) of actions and of reads by clients
   * `anonymousRead` does not admit. Without it every action answers 401.
   */
  token?: string;
  /** Who reads stored state without the token. Default `loopback` (config `api.anonymousRead`). */
  anonymousRead?: AnonymousRead;
  /** Per-client (IP) limit of reads. Default burst 300, 1,200 per minute. */
  readRateLimit?: RateLimiterOptions;
  /** Per-client (IP) limit of actions and plans, which make Berth work. Default burst 20, 60 per minute. */
  actRateLimit?: RateLimiterOptions;
  /** Answers `POST /api/v1/webhooks/<source>`; without it that route answers 404. */
  webhooks?: WebhookHandler;
  /**
   * Answers `GET /api/v1/sources/<source>/plan?ref=&against=`: the plan of a ref, or undefined
   * when there is no such source. Without it that route answers 404.
   */
  plans?: (
    source: string,
    query: { ref?: string; against?: string },
  ) => Promise<PlanReport | undefined>;
  /** Stored state (sources, objects, events, history, logs, live feed): the read API and the dashboard. */
  state?: StateReader;
  /** Sync, suspend/resume, rollback. */
  actions?: ApiActions;
  /** Prometheus text of `GET /metrics`. */
  metrics?: () => Promise<{ contentType: string; text: string }>;
  /** How long a dashboard login lasts. Default 8 hours. */
  sessionTtlMs?: number;
  logger?: Logger;
}

/** A running API server. */
export interface ApiServer {
  /** `http://<host>:<port>` */
  readonly url: string;
  readonly port: number;
  /** The OpenAPI 3.1 document of the routes served (also at `/api/openapi.json`). */
  readonly openapi: OpenApiDocument;
  /** Stops listening and closes open connections (live streams included). */
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; see {@link RouteAccess}. */
    access?: RouteAccess;
    /** A dashboard page: a client that may not read it is sent to the login form instead of a 401. */
    page?: boolean;
  }
  interface FastifyRequest {
    /** The dashboard session of the request's cookie, when it is live. */
    session?: Session;
  }
}

/**
 * Starts Berth's HTTP server (fastify): webhooks, plans, the read API, actions, `/metrics`,
 * `/healthz`, the dashboard and `/api/openapi.json`. Every route says who may call it
 * (`config.access`): webhooks check their HMAC; actions need the token; reads need the token
 * unless the client is on loopback and `anonymousRead` is `loopback`. A per-client rate limit
 * applies to everything but webhooks (which have their own, per source). Every refusal is
 * `{"error": {"code", "message"}}` with its status.
 */
export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const logger = options.logger;
  const app = Fastify({
    logger: false,
    // Refs and names are checked by schemas; the URL itself stays bounded.
    routerOptions: { maxParamLength: 256 },
    ajv: { customOptions: { allErrors: false, removeAdditional: false } },
  });
  // Response schemas document the API (OpenAPI) and are checked by tests; answers are plain JSON.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  const openapi = collectOpenApi(app);
  const anonymousRead = options.anonymousRead ?? 'loopback';
  const limiters = {
    read: new RateLimiter({ burst: 300, perMinute: 1200, ...options.readRateLimit }),
    act: new RateLimiter({ burst: 20, perMinute: 60, ...options.actRateLimit }),
  };
  const sessions = new SessionStore({
    ...(options.sessionTtlMs !== undefined ? { ttlMs: options.sessionTtlMs } : {}),
  });
  app.decorateRequest('session', undefined);
  const store = options.state?.storeId;
  app.addHook('onRequest', async (request, reply) => {
    // Which store this instance reads: the CLI uses an API only when it is its own store's.
    if (store) reply.header(STORE_ID_HEADER, store);
    const access = routeAccess(request.method, request.routeOptions.config.access);
    if (access === 'hook') return;
    const limiter = access === 'public' ? (request.method === 'GET' ? 'read' : 'act') : access;
    const waitMs = limiters[limiter].take(request.ip);
    if (waitMs > 0) {
      reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
      throw new ApiError(429, 'RateLimited', 'too many requests from this client; retry later');
    }
    const session = sessions.get(readCookie(request.headers, SESSION_COOKIE));
    if (session) request.session = session;
    const verdict = allowed(access, request, options.token, anonymousRead, session);
    if (verdict === 'ok') return;
    if (verdict === 'csrf') {
      throw new ApiError(
        403,
        'CsrfRejected',
        `an action made with the session cookie needs the page's ${CSRF_HEADER} header, from this server's own origin`,
      );
    }
    if (verdict === 'missing' && request.routeOptions.config.page && request.method === 'GET') {
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    }
    reply.header('www-authenticate', 'Bearer realm="berth"');
    throw new ApiError(
      401,
      'Unauthorized',
      verdict === 'invalid'
        ? 'the bearer token is not the API token'
        : access === 'act'
          ? 'this request needs Authorization: Bearer <the API token>'
          : 'reading needs Authorization: Bearer <the API token> from a client that is not on loopback',
    );
  });
  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    if (err instanceof ApiError) {
      void reply.code(err.status).send({ error: { code: err.code, message: err.message } });
      return;
    }
    if ((err as FastifyError).validation) {
      void reply.code(400).send({ error: { code: 'BadRequest', message: err.message } });
      return;
    }
    const status = (err as FastifyError).statusCode ?? 500;
    if (status >= 500) logger?.error({ url: request.url, err: String(err) }, 'API request failed');
    void reply.code(status).send({
      error: {
        code: status >= 500 ? 'InternalError' : ((err as FastifyError).code ?? 'BadRequest'),
        message: status >= 500 ? 'the request could not be handled' : err.message,
      },
    });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: {
        code: 'NotFound',
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
      },
    });
  });

  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: 200 while the process serves requests',
        response: {
          200: {
            type: 'object',
            properties: { status: { const: 'ok' } },
            required: ['status'],
          },
        },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  if (options.webhooks) registerWebhookRoutes(app, options.webhooks, logger);
  if (options.plans) registerPlanRoute(app, options.plans, logger);
  if (options.state) registerStateRoutes(app, options.state);
  if (options.actions) registerActionRoutes(app, options.actions, logger);
  if (options.metrics) registerMetricsRoute(app, options.metrics);
  if (options.state)
    await registerDashboard(app, options.state, { sessions, token: options.token });
  app.get(
    '/api/openapi.json',
    { schema: { summary: 'This document: the OpenAPI 3.1 description of the API' } },
    async () => openapi.document,
  );

  await app.listen({ port: options.port ?? 7433, host: options.host ?? '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    openapi: openapi.document,
    close: async () => {
      options.state?.closeStreams();
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

/** Fastify's instance type, as route modules take it. */
export type ApiApp = FastifyInstance;
