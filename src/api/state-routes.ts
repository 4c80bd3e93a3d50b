import type { FastifyInstance } from 'fastify';
import { parseSelector } from '../kubectl/parse-selector.js';
import { type ResourceKind, resolveKind } from '../kubectl/resource-kinds.js';
import { errorMessage } from '../util/berth-error.js';
import { ApiError } from './api-error.js';
import { ERROR_SCHEMA, LIST_SCHEMA, OBJECT_SCHEMA, SOURCE_PARAMS } from './api-schemas.js';
import type { StateReader } from './state-reader.js';

const NAME = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$' } as const;
const LIMIT = { type: 'integer', minimum: 1, maximum: 500, default: 50 } as const;
const ERRORS = { '4xx': ERROR_SCHEMA, '5xx': ERROR_SCHEMA } as const;

const TREE_NODE = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    kind: { type: 'string' },
    namespace: { type: 'string' },
    name: { type: 'string' },
    health: { enum: ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'] },
    healthMessage: { type: 'string' },
    status: { type: 'string' },
    reference: { type: 'boolean' },
    children: { type: 'array', items: { $ref: '#/$defs/node' } },
  },
  required: ['key', 'kind', 'namespace', 'name', 'health', 'status', 'children'],
} as const;

const LEASE_RECORD = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    token: { type: 'integer' },
    expiresInMs: { type: 'integer' },
    host: { type: 'string' },
    pid: { type: 'integer' },
    node: { type: 'string' },
    startedAt: { type: 'string' },
    worker: { type: 'boolean' },
  },
  required: ['key', 'token', 'host', 'pid', 'node', 'startedAt'],
} as const;
const PROCESSES_SCHEMA = {
  type: 'object',
  properties: {
    processes: { type: 'array', items: LEASE_RECORD },
    leader: LEASE_RECORD,
    nodes: { type: 'array', items: LEASE_RECORD },
  },
  required: ['processes', 'nodes'],
} as const;

/**
 * The read API: sources, history, events, objects (Secrets redacted), a source's tree, pod
 * logs and the live stream, in the shapes of the CLI's `-o json` (kubectl Lists).
 */
export function registerStateRoutes(app: FastifyInstance, state: StateReader): void {
  app.get(
    '/api/v1/sources',
    {
      schema: {
        summary: 'Every source: repo, ref, revisions, sync and health (as berth status -o json)',
        response: { 200: LIST_SCHEMA, ...ERRORS },
      },
    },
    () => state.sources(),
  );
  app.get(
    '/api/v1/processes',
    {
      schema: {
        summary:
          'The live processes of the instance from their leases: leader, nodes (berth status)',
        response: { 200: PROCESSES_SCHEMA, ...ERRORS },
      },
    },
    () => state.processes(),
  );
  app.get<{ Params: { source: string } }>(
    '/api/v1/sources/:source',
    {
      schema: {
        summary: 'One source (as berth status <source> -o json, the item)',
        params: SOURCE_PARAMS,
        response: { 200: OBJECT_SCHEMA, ...ERRORS },
      },
    },
    async (request) =>
      (await state.source(request.params.source)) ?? notFound(request.params.source),
  );
  app.get<{ Params: { source: string } }>(
    '/api/v1/sources/:source/describe',
    {
      schema: {
        summary: 'One source as berth describe source <name> prints it (text, with its events)',
        params: SOURCE_PARAMS,
        produces: ['text/plain'],
        response: { 200: { type: 'string' }, ...ERRORS },
      },
    },
    async (request, reply) => {
      const text = await state.describeSource(request.params.source);
      if (text === undefined) notFound(request.params.source);
      return reply.type('text/plain; charset=utf-8').send(text);
    },
  );
  app.get<{ Params: { source: string }; Querystring: { limit: number } }>(
    '/api/v1/sources/:source/history',
    {
      schema: {
        summary: 'The revisions a source saw, newest first (as berth history -o json)',
        params: SOURCE_PARAMS,
        querystring: { type: 'object', properties: { limit: LIMIT }, additionalProperties: false },
        response: { 200: LIST_SCHEMA, ...ERRORS },
      },
    },
    async (request) => {
      await known(state, request.params.source);
      return state.history(request.params.source, request.query.limit);
    },
  );
  app.get<{ Params: { source: string; revision: string } }>(
    '/api/v1/sources/:source/revisions/:revision/plan',
    {
      schema: {
        summary:
          'The plan Berth made of a revision when it saw it, against what ran then (text, as berth plan prints it; kept 7 days)',
        params: {
          type: 'object',
          properties: {
            source: SOURCE_PARAMS.properties.source,
            revision: { type: 'string', pattern: '^[0-9a-f]{40}$' },
          },
          required: ['source', 'revision'],
        },
        produces: ['text/plain'],
        response: { 200: { type: 'string' }, ...ERRORS },
      },
    },
    async (request, reply) => {
      const { source, revision } = request.params;
      const text = await state.revisionPlan(source, revision);
      if (text === undefined)
        throw new ApiError(404, 'PlanNotFound', `no plan kept for ${source} revision ${revision}`);
      return reply.type('text/plain; charset=utf-8').send(text);
    },
  );
  app.get<{ Params: { source: string }; Querystring: { limit: number } }>(
    '/api/v1/sources/:source/events',
    {
      schema: {
        summary: "A source's events, newest first (a List of v1 Event)",
        params: SOURCE_PARAMS,
        querystring: { type: 'object', properties: { limit: LIMIT }, additionalProperties: false },
        response: { 200: LIST_SCHEMA, ...ERRORS },
      },
    },
    async (request) => {
      await known(state, request.params.source);
      return state.events({ source: request.params.source, limit: request.query.limit });
    },
  );
  app.get<{ Params: { source: string } }>(
    '/api/v1/sources/:source/tree',
    {
      schema: {
        summary:
          "A source's objects as a tree with health: Deployment → ReplicaSets → Pods, StatefulSet → Pods and PVCs, Service → Endpoints, Ingress → Services",
        params: SOURCE_PARAMS,
        response: {
          200: {
            type: 'object',
            $defs: { node: TREE_NODE },
            properties: {
              source: { type: 'string' },
              items: { type: 'array', items: { $ref: '#/$defs/node' } },
            },
            required: ['source', 'items'],
          },
          ...ERRORS,
        },
      },
    },
    async (request) => {
      await known(state, request.params.source);
      return { source: request.params.source, items: await state.tree(request.params.source) };
    },
  );
  app.get<{ Querystring: { namespace?: string; source?: string; limit: number } }>(
    '/api/v1/events',
    {
      schema: {
        summary: 'Recent events, newest first, optionally of one namespace or source',
        querystring: {
          type: 'object',
          properties: { namespace: NAME, source: SOURCE_PARAMS.properties.source, limit: LIMIT },
          additionalProperties: false,
        },
        response: { 200: LIST_SCHEMA, ...ERRORS },
      },
    },
    (request) => state.events(request.query),
  );
  app.get<{
    Params: { resource: string };
    Querystring: { namespace?: string; labelSelector?: string };
  }>(
    '/api/v1/objects/:resource',
    {
      schema: {
        summary:
          'Objects of a kind (kubectl names: deployments, deploy, pods, svc...), one namespace or all (as berth get <kind> -o json); Secrets redacted',
        params: {
          type: 'object',
          properties: { resource: { type: 'string', pattern: '^[A-Za-z.]{1,64}$' } },
          required: ['resource'],
        },
        querystring: {
          type: 'object',
          properties: {
            namespace: NAME,
            labelSelector: { type: 'string', maxLength: 1024 },
          },
          additionalProperties: false,
        },
        response: { 200: LIST_SCHEMA, ...ERRORS },
      },
    },
    (request) => {
      const kind = kindOf(request.params.resource);
      let selector: ReturnType<typeof parseSelector> | undefined;
      try {
        if (request.query.labelSelector) selector = parseSelector(request.query.labelSelector);
      } catch (err) {
        throw new ApiError(400, 'BadSelector', errorMessage(err));
      }
      return state.objects(kind, request.query.namespace, selector);
    },
  );
  const objectRoute = {
    params: {
      type: 'object',
      properties: { resource: { type: 'string', pattern: '^[A-Za-z.]{1,64}$' }, name: NAME },
      required: ['resource', 'name'],
    },
    querystring: {
      type: 'object',
      properties: { namespace: { ...NAME, default: 'default' } },
      additionalProperties: false,
    },
  } as const;
  app.get<{ Params: { resource: string; name: string }; Querystring: { namespace: string } }>(
    '/api/v1/objects/:resource/:name',
    {
      schema: {
        summary: 'One object (as berth get <kind> <name> -o json); Secrets redacted',
        ...objectRoute,
        response: { 200: OBJECT_SCHEMA, ...ERRORS },
      },
    },
    async (request) => {
      const kind = kindOf(request.params.resource);
      const o = await state.object(kind, request.query.namespace, request.params.name);
      if (!o)
        throw new ApiError(404, 'NotFound', `${kind.plural} "${request.params.name}" not found`);
      return o;
    },
  );
  app.get<{ Params: { resource: string; name: string }; Querystring: { namespace: string } }>(
    '/api/v1/objects/:resource/:name/describe',
    {
      schema: {
        summary:
          "One object as berth describe <kind> <name> prints it (text, with its events); a Secret's keys and sizes only",
        ...objectRoute,
        produces: ['text/plain'],
        response: { 200: { type: 'string' }, ...ERRORS },
      },
    },
    async (request, reply) => {
      const kind = kindOf(request.params.resource);
      const text = await state.describe(kind, request.query.namespace, request.params.name);
      if (text === undefined)
        throw new ApiError(404, 'NotFound', `${kind.plural} "${request.params.name}" not found`);
      return reply.type('text/plain; charset=utf-8').send(text);
    },
  );
  app.get<{ Params: { resource: string; name: string }; Querystring: { namespace: string } }>(
    '/api/v1/objects/:resource/:name/events',
    {
      schema: {
        summary: "One object's events, newest first (as berth describe shows them)",
        ...objectRoute,
        response: { 200: LIST_SCHEMA, ...ERRORS },
      },
    },
    (request) => {
      const kind = kindOf(request.params.resource);
      const namespace = kind.namespaced ? request.query.namespace : '';
      return state.events({ object: { kind: kind.kind, namespace, name: request.params.name } });
    },
  );
  app.get<{
    Params: { namespace: string; name: string };
    Querystring: { container?: string; tail?: number; follow?: boolean; previous?: boolean };
  }>(
    '/api/v1/namespaces/:namespace/pods/:name/log',
    {
      schema: {
        summary:
          "A pod container's output as text (berth logs): tail, follow (streamed until the container stops or the client leaves), previous",
        params: {
          type: 'object',
          properties: { namespace: NAME, name: NAME },
          required: ['namespace', 'name'],
        },
        querystring: {
          type: 'object',
          properties: {
            container: NAME,
            tail: { type: 'integer', minimum: 0, maximum: 100_000 },
            follow: { type: 'boolean' },
            previous: { type: 'boolean' },
          },
          additionalProperties: false,
        },
        produces: ['text/plain'],
        response: { 200: { type: 'string' }, ...ERRORS },
      },
    },
    async (request, reply) => {
      const { namespace, name } = request.params;
      const q = request.query;
      const target = await state.podLogTarget(namespace, name, q.container, q.previous);
      if (!target) throw new ApiError(503, 'LogsUnavailable', 'this process has no Docker client');
      if ('problem' in target)
        throw new ApiError(
          target.problem === 'NotFound' ? 404 : 400,
          target.problem,
          target.message,
        );
      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/plain; charset=utf-8',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      const write = (text: string) => raw.write(text);
      const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()));
      try {
        await state.copyLogs(
          target.id,
          { stdout: { write }, stderr: { write } },
          {
            ...(q.tail !== undefined ? { tail: q.tail } : {}),
            ...(q.follow ? { follow: true, stop: closed } : {}),
          },
        );
      } finally {
        raw.end();
      }
    },
  );
  app.get(
    '/api/v1/stream',
    {
      schema: {
        summary:
          'Server-Sent Events: `event` (a new Berth event, JSON) and `sources` (a source changed) as they happen',
        produces: ['text/event-stream'],
        response: { 200: { type: 'string' } },
      },
    },
    (request, reply) => {
      const raw = reply.raw;
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      raw.write('retry: 2000\n: connected\n\n');
      const unsubscribe = state.subscribe((m) => {
        raw.write(
          m.type === 'event'
            ? `event: event\nid: ${m.event.id}\ndata: ${JSON.stringify(m.event)}\n\n`
            : 'event: sources\ndata: {}\n\n',
        );
      });
      const ping = setInterval(() => raw.write(': ping\n\n'), 15_000);
      ping.unref();
      request.raw.once('close', () => {
        clearInterval(ping);
        unsubscribe();
      });
    },
  );
}

function kindOf(resource: string): ResourceKind {
  try {
    return resolveKind(resource);
  } catch (err) {
    throw new ApiError(404, 'UnknownKind', errorMessage(err));
  }
}

async function known(state: StateReader, name: string): Promise<void> {
  if (!(await state.sourceNames()).includes(name)) notFound(name);
}

function notFound(name: string): never {
  throw new ApiError(404, 'SourceNotFound', `no source "${name}"`);
}
