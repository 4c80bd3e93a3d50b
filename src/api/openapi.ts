import type { FastifyInstance, RouteOptions } from 'fastify';
import { type RouteAccess, routeAccess } from './client-access.js';

declare module 'fastify' {
  interface FastifySchema {
    /** One line: what the route does (OpenAPI `summary`). */
    summary?: string;
    description?: string;
    /** Left out of the OpenAPI document. */
    hide?: boolean;
    /** Content types of a 200 that is not JSON. */
    produces?: string[];
  }
}

/** An OpenAPI 3.1 document (the parts Berth writes). */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: Record<string, unknown>;
}

/** The route schema keys Berth uses, besides fastify's own. */
interface DocumentedSchema {
  summary?: string;
  description?: string;
  hide?: boolean;
  params?: { properties?: Record<string, unknown>; required?: string[] };
  querystring?: { properties?: Record<string, unknown>; required?: string[] };
  body?: unknown;
  response?: Record<string, unknown>;
  produces?: string[];
}

const SECURITY: Record<RouteAccess, unknown[] | undefined> = {
  hook: [],
  public: [],
  read: [{}, { bearer: [] }],
  act: [{ bearer: [] }],
};

/**
 * Builds the OpenAPI document from the routes as fastify registers them (their JSON Schemas
 * for params, query, body and answers), so the document cannot drift from what is served.
 * Call before registering routes; the document fills as they are added.
 */
export function collectOpenApi(app: FastifyInstance): { document: OpenApiDocument } {
  const document: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'Berth API',
      version: '1',
      description:
        "Berth's HTTP API: stored state (sources, objects, events, history, logs), actions, plans, webhooks, metrics. Reads are open to loopback clients unless api.anonymousRead is none; actions need Authorization: Bearer <the API token>.",
    },
    paths: {},
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
  };
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = (route.schema ?? {}) as DocumentedSchema;
    if (schema.hide || route.method === 'HEAD') return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter(
      (m) => m !== 'HEAD',
    );
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const access = routeAccess(
      methods[0] ?? 'GET',
      (route.config as { access?: RouteAccess } | undefined)?.access,
    );
    const parameters = [...params('path', schema.params), ...params('query', schema.querystring)];
    const responses: Record<string, unknown> = {};
    for (const [code, body] of Object.entries(schema.response ?? { 200: {} })) {
      const key = code.replace(/xx$/, 'XX');
      const types = schema.produces ?? ['application/json'];
      responses[key] = {
        description: description(key),
        content: Object.fromEntries(
          types.map((t) => [t, { schema: t === 'application/json' ? body : { type: 'string' } }]),
        ),
      };
    }
    const operation: Record<string, unknown> = {
      summary: schema.summary ?? '',
      ...(schema.description ? { description: schema.description } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(schema.body
        ? { requestBody: { content: { 'application/json': { schema: schema.body } } } }
        : {}),
      responses,
      security: SECURITY[access],
      'x-berth-access': access,
    };
    document.paths[path] ??= {};
    for (const m of methods)
      (document.paths[path] as Record<string, unknown>)[m.toLowerCase()] = operation;
  });
  return { document };
}

function params(
  where: 'path' | 'query',
  schema: DocumentedSchema['params'],
): Array<Record<string, unknown>> {
  if (!schema?.properties) return [];
  return Object.entries(schema.properties).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (schema.required ?? []).includes(name),
    schema: s,
  }));
}

function description(code: string): string {
  const known: Record<string, string> = {
    '200': 'OK',
    '202': 'Accepted',
    '4XX': 'Refused: {"error": {"code", "message"}}',
    '5XX': 'Failed: {"error": {"code", "message"}}',
  };
  return known[code] ?? 'Answer';
}
