import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionStore } from '../session-store.js';
import type { StateReader } from '../state-reader.js';
import { type DashboardAsset, loadDashboardAssets, pickEncoding } from './dashboard-assets.js';
import { fragment, type Html, html, layout } from './html.js';
import { registerLogin } from './login-routes.js';
import {
  historyPage,
  objectPage,
  type Page,
  revisionPage,
  sourcePage,
  sourcesPage,
} from './pages.js';

export { ASSETS_DIR } from './dashboard-assets.js';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
/** Pages smaller than this go out as they are (one packet; compressing would cost more than it saves). */
const COMPRESS_MIN_BYTES = 1400;

const NAME = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$' } as const;
const SOURCE = { type: 'string', pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$' } as const;

/**
 * The dashboard (reads: loopback or the token): server-rendered pages — `/` sources,
 * `/sources/<s>` tree and events, `/sources/<s>/history`, `/sources/<s>/revisions/<sha>` plan,
 * `/objects/<resource>/<ns>/<name>` YAML, events and pod logs — and `/assets/*` from the
 * package. With `x-berth-fragment: main` a page answers only its `<main>` (live updates).
 */
export async function registerDashboard(
  app: FastifyInstance,
  state: StateReader,
  access: { sessions: SessionStore; token: string | undefined },
): Promise<void> {
  const assets = loadDashboardAssets();
  const byUrl = new Map<string, DashboardAsset>();
  for (const asset of assets.values()) {
    byUrl.set(asset.url, asset);
    // The plain name stays served (revalidated by ETag) for anything that linked it.
    byUrl.set(`/assets/${asset.file}`, asset);
  }
  const links = {
    css: (assets.get('dashboard.css') as DashboardAsset).url,
    js: (assets.get('dashboard.js') as DashboardAsset).url,
  };
  app.get<{ Params: { file: string } }>(
    '/assets/:file',
    { schema: { hide: true } },
    async (request, reply) => {
      const asset = byUrl.get(`/assets/${request.params.file}`);
      if (!asset) return reply.code(404).type('text/plain').send('not found');
      const hashed = request.params.file !== asset.file;
      void reply
        .type(asset.type)
        .header('etag', asset.etag)
        .header('vary', 'accept-encoding')
        .header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache')
        .header('x-content-type-options', 'nosniff');
      if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
      const encoding = pickEncoding(request.headers['accept-encoding']);
      if (!encoding) return reply.send(asset.body);
      return reply.header('content-encoding', encoding).send(asset[encoding]);
    },
  );
  const send = async (
    request: FastifyRequest,
    reply: FastifyReply,
    page: { title: string; main: Html; live?: boolean },
    code: number,
  ): Promise<FastifyReply> => {
    const body =
      request.headers['x-berth-fragment'] === 'main'
        ? fragment(page.main)
        : layout(page.title, page.main, {
            live: page.live !== false,
            assets: links,
            ...(request.session ? { session: { csrf: request.session.csrf } } : {}),
          });
    void reply
      .code(code)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header(
        'content-security-policy',
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      )
      .header('x-content-type-options', 'nosniff')
      .header('vary', 'accept-encoding, x-berth-fragment');
    const encoding =
      body.length >= COMPRESS_MIN_BYTES
        ? pickEncoding(request.headers['accept-encoding'])
        : undefined;
    if (!encoding) return reply.send(body);
    // Fast settings: a 200-object page (75 KiB) compresses to ~8 KiB in about a millisecond.
    const packed =
      encoding === 'br'
        ? await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })
        : await gzipAsync(body, { level: 4 });
    return reply.header('content-encoding', encoding).send(packed);
  };
  const serve = (request: FastifyRequest, reply: FastifyReply, page: Page | undefined) =>
    send(
      request,
      reply,
      page ?? {
        title: 'Not found',
        main: html`<h1>Not found</h1><p>Nothing here: <a href="/">back to the sources</a>.</p>`,
        live: false,
      },
      page ? 200 : 404,
    );
  await registerLogin(app, { ...access, send });
  const hide = { hide: true };
  const page = { page: true };
  app.get('/', { schema: hide, config: page }, (request, reply) =>
    sourcesPage(state, new Date()).then((p) => serve(request, reply, p)),
  );
  app.get<{ Params: { source: string } }>(
    '/sources/:source',
    {
      config: page,
      schema: { ...hide, params: { type: 'object', properties: { source: SOURCE } } },
    },
    (request, reply) =>
      sourcePage(state, request.params.source, new Date()).then((p) => serve(request, reply, p)),
  );
  app.get<{ Params: { source: string } }>(
    '/sources/:source/history',
    {
      config: page,
      schema: { ...hide, params: { type: 'object', properties: { source: SOURCE } } },
    },
    (request, reply) =>
      historyPage(state, request.params.source, new Date()).then((p) => serve(request, reply, p)),
  );
  app.get<{ Params: { source: string; revision: string } }>(
    '/sources/:source/revisions/:revision',
    {
      config: page,
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
      config: page,
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
