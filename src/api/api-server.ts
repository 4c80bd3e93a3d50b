import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type PlanReport, planObject, renderMarkdown } from '../plan/index.js';
import { BerthError } from '../util/berth-error.js';
import type { Logger } from '../util/logger.js';
import { WebhookError } from './webhook-error.js';
import type { WebhookHandler } from './webhook-handler.js';

/** Options of {@link startApiServer}. */
export interface ApiServerOptions {
  /** Address to listen on. Default `127.0.0.1` (config `api.listen`). */
  host?: string;
  /** Port; 0 picks a free one. Default 7433. */
  port?: number;
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
  logger?: Logger;
}

/** A running API server. */
export interface ApiServer {
  /** `http://<host>:<port>` */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const WEBHOOK_PATH = /^\/api\/v1\/webhooks\/([A-Za-z0-9._-]{1,128})$/;
const PLAN_PATH = /^\/api\/v1\/sources\/([a-z0-9-]{1,63})\/plan$/;

/**
 * Starts Berth's HTTP server (node:http): for now the webhook endpoints and `GET /healthz`.
 * Every answer is JSON; every refusal is `{"error": {"code", "message"}}` with its status.
 */
export async function startApiServer(options: ApiServerOptions = {}): Promise<ApiServer> {
  const logger = options.logger;
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.headersSent) return;
      const text = `${JSON.stringify(body)}\n`;
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
        ...headers,
      });
      res.end(text);
    };
    const url = new URL(req.url ?? '/', 'http://berth.local');
    if (url.pathname === '/healthz' && req.method === 'GET') {
      send(200, { status: 'ok' });
      return;
    }
    const planMatch = PLAN_PATH.exec(url.pathname);
    if (planMatch && options.plans) {
      if (req.method !== 'GET') {
        send(
          405,
          { error: { code: 'MethodNotAllowed', message: 'plans are GET requests' } },
          { allow: 'GET' },
        );
        return;
      }
      servePlan(options.plans, planMatch[1] as string, url, req, res, send, logger);
      return;
    }
    const match = WEBHOOK_PATH.exec(url.pathname);
    if (!match || !options.webhooks) {
      send(404, { error: { code: 'NotFound', message: `no route ${url.pathname}` } });
      return;
    }
    if (req.method !== 'POST') {
      send(
        405,
        { error: { code: 'MethodNotAllowed', message: 'webhooks are POST requests' } },
        { allow: 'POST' },
      );
      return;
    }
    const name = match[1] as string;
    options.webhooks.handle(name, req).then(
      (answer) => {
        // The fetch starts once the answer is on the wire: a 202 never waits for the sync.
        if (answer.after) res.once('finish', answer.after);
        send(answer.status, answer.body);
        logger?.info(
          {
            source: name,
            status: answer.status,
            ...pick(answer.body, ['provider', 'delivery', 'ref', 'status']),
          },
          `webhook for source ${name}: ${String(answer.body.status)}`,
        );
      },
      (err: unknown) => {
        const error =
          err instanceof WebhookError
            ? err
            : new WebhookError(500, 'InternalError', 'the webhook could not be handled');
        if (!(err instanceof WebhookError))
          logger?.error({ source: name, err: String(err) }, 'webhook handler failed');
        else
          logger?.warn(
            { source: name, status: error.status, code: error.code },
            `webhook for source ${name} refused: ${error.message}`,
          );
        const retry = error.data.retryAfterSeconds;
        // A refused body is not read further: close the connection once the answer is out.
        send(
          error.status,
          { error: { code: error.code, message: error.message } },
          {
            ...(retry !== undefined ? { 'retry-after': String(retry) } : {}),
            ...(req.complete ? {} : { connection: 'close' }),
          },
        );
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7433, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type Send = (status: number, body: unknown, headers?: Record<string, string>) => void;

/**
 * `GET /api/v1/sources/<source>/plan`: JSON (a Kubernetes-shaped Plan object) by default, or the
 * pull-request Markdown with `format=markdown` or `Accept: text/markdown`. A missing source or
 * ref is 404; an invalid revision is still 200, its problems in the plan.
 */
function servePlan(
  plans: NonNullable<ApiServerOptions['plans']>,
  source: string,
  url: URL,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  send: Send,
  logger: Logger | undefined,
): void {
  const format =
    url.searchParams.get('format') ??
    (req.headers.accept?.includes('text/markdown') ? 'markdown' : 'json');
  if (format !== 'json' && format !== 'markdown') {
    send(400, {
      error: { code: 'BadFormat', message: `format must be json or markdown, not "${format}"` },
    });
    return;
  }
  const ref = url.searchParams.get('ref') ?? undefined;
  const against = url.searchParams.get('against') ?? undefined;
  plans(source, { ...(ref ? { ref } : {}), ...(against ? { against } : {}) }).then(
    (report) => {
      if (!report) {
        send(404, { error: { code: 'SourceNotFound', message: `no source "${source}"` } });
        return;
      }
      if (format === 'json') {
        send(200, planObject(report));
        return;
      }
      const text = renderMarkdown(report);
      res.writeHead(200, {
        'content-type': 'text/markdown; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
      });
      res.end(text);
    },
    (err: unknown) => {
      const code = (err as { code?: string }).code;
      if (code === 'SourceRefNotFound' || code === 'SourcePathNotFound') {
        send(404, { error: { code, message: (err as Error).message } });
        return;
      }
      logger?.error({ source, err: String(err) }, 'plan request failed');
      send(500, {
        error: {
          code: code ?? 'InternalError',
          message: err instanceof BerthError ? err.message : 'the plan could not be made',
        },
      });
    },
  );
}

function pick(body: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
}
