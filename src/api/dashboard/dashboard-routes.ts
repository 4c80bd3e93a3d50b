import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StateReader } from '../state-reader.js';
import { fragment, html, layout } from './html.js';
import {
  historyPage,
  objectPage,
  type Page,
  revisionPage,
  sourcePage,
  sourcesPage,
} from './pages.js';

/** The dashboard's static files: `dashboard/` at the package root (next to `dist/` and `src/`). */
export const ASSETS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'dashboard',
);

const ASSETS: Record<string, string> = {
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

const NAME = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$' } as const;
const SOURCE = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' } as const;

/**
 * The dashboard (reads: loopback or the token): server-rendered pages — `/` sources,
 * `/sources/<s>` tree and events, `/sources/<s>/history`, `/sources/<s>/revisions/<sha>` plan,
 * `/objects/<resource>/<ns>/<name>` YAML, events and pod logs — and `/assets/*` from the
 * package. With `x-berth-fragment: main` a page answers only its `<main>` (live updates).
 */
export function registerDashboard(app: FastifyInstance, state: StateReader): void {
  const assets = new Map(
    Object.entries(ASSETS).map(([file, type]) => [
      file,
      { type, body: readFileSync(path.join(ASSETS_DIR, file)) },
    ]),
  );
  const hide = { hide: true };
  app.get<{ Params: { file: string } }>(
    '/assets/:file',
    { schema: hide },
    async (request, reply) => {
      const asset = assets.get(request.params.file);
      if (!asset) return reply.code(404).type('text/plain').send('not found');
      return reply
        .type(asset.type)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .send(asset.body);
    },
  );
  const serve = async (
    request: FastifyRequest,
    reply: FastifyReply,
    page: Page | undefined,
  ): Promise<FastifyReply> => {
    const found = page ?? {
      title: 'Not found',
      main: html`<h1>Not found</h1><p>Nothing here: <a href="/">back to the sources</a>.</p>`,
      live: false,
    };
    const body =
      request.headers['x-berth-fragment'] === 'main'
        ? fragment(found.main)
        : layout(found.title, found.main, { live: found.live !== false });
    return reply
      .code(page ? 200 : 404)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      )
      .header('x-content-type-options', 'nosniff')
      .send(body);
  };
  app.get('/', { schema: hide }, (request, reply) =>
    sourcesPage(state, new Date()).then((p) => serve(request, reply, p)),
  );
  app.get<{ Params: { source: string } }>(
    '/sources/:source',
    { schema: { ...hide, params: { type: 'object', properties: { source: SOURCE } } } },
    (request, reply) =>
      sourcePage(state, request.params.source, new Date()).then((p) => serve(request, reply, p)),
  );
  app.get<{ Params: { source: string } }>(
    '/sources/:source/history',
    { schema: { ...hide, params: { type: 'object', properties: { source: SOURCE } } } },
    (request, reply) =>
      historyPage(state, request.params.source, new Date()).then((p) => serve(request, reply, p)),
  );
  app.get<{ Params: { source: string; revision: string } }>(
    '/sources/:source/revisions/:revision',
    {
      schema: {
        ...hide,
        params: {
          type: 'object',
          properties: { source: SOURCE, revision: { type: 'string', pattern: '^[0-9a-f]{40}$' } },
        },
      },
    },
    (request, reply) =>
      revisionPage(state, request.params.source, request.params.revision).then((p) =>
        serve(request, reply, p),
      ),
  );
  app.get<{ Params: { resource: string; namespace: string; name: string } }>(
    '/objects/:resource/:namespace/:name',
    {
      schema: {
        ...hide,
        params: {
          type: 'object',
          properties: {
            resource: { type: 'string', pattern: '^[A-Za-z.]{1,64}$' },
            namespace: { anyOf: [NAME, { const: '_' }] },
            name: NAME,
          },
        },
      },
    },
    (request, reply) => {
      const { resource, namespace, name } = request.params;
      return objectPage(state, resource, namespace, name, new Date()).then((p) =>
        serve(request, reply, p),
      );
    },
  );
}
