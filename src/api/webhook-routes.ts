import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { webhookRequests } from '../metrics/index.js';
import type { Logger } from '../util/logger.js';
import { ERROR_SCHEMA } from './api-schemas.js';
import { WebhookError } from './webhook-error.js';
import type { WebhookHandler } from './webhook-handler.js';
import { detectProvider } from './webhook-provider.js';

const PARAMS = {
  type: 'object',
  properties: { source: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' } },
  required: ['source'],
} as const;

/**
 * `POST /api/v1/webhooks/<source>`: hands the raw request to the {@link WebhookHandler} (which
 * reads and verifies the body itself: signatures are over the exact bytes), in a scope where
 * fastify parses no body. Other methods answer 405.
 */
export function registerWebhookRoutes(
  app: FastifyInstance,
  webhooks: WebhookHandler,
  logger: Logger | undefined,
): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Leave the body unread: the handler reads it, with its own size limit.
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    scope.post<{ Params: { source: string } }>(
      '/api/v1/webhooks/:source',
      {
        config: { access: 'hook' },
        schema: {
          summary:
            'A forge webhook (GitHub, GitLab, Gitea/Forgejo, generic HMAC): a push fetches the source, a pull request is reviewed',
          params: PARAMS,
          response: {
            200: { type: 'object', additionalProperties: true },
            202: { type: 'object', additionalProperties: true },
            '4xx': ERROR_SCHEMA,
          },
        },
      },
      async (request, reply) => {
        const name = request.params.source;
        try {
          const answer = await webhooks.handle(name, request.raw);
          // The fetch starts once the answer is on the wire: a 202 never waits for the sync.
          if (answer.after) reply.raw.once('finish', answer.after);
          logger?.info(
            {
              source: name,
              status: answer.status,
              ...pick(answer.body, ['provider', 'delivery', 'ref', 'status']),
            },
            `webhook for source ${name}: ${String(answer.body.status)}`,
          );
          webhookRequests.inc({ provider: providerOf(request.headers), code: answer.status });
          return reply.code(answer.status).send(answer.body);
        } catch (err) {
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
          webhookRequests.inc({ provider: providerOf(request.headers), code: error.status });
          const retry = error.data.retryAfterSeconds;
          if (retry !== undefined) reply.header('retry-after', String(retry));
          // A refused body is not read further: close the connection once the answer is out.
          if (!request.raw.complete) reply.header('connection', 'close');
          return reply
            .code(error.status)
            .send({ error: { code: error.code, message: error.message } });
        }
      },
    );
    scope.route({
      method: ['GET', 'PUT', 'PATCH', 'DELETE'],
      url: '/api/v1/webhooks/:source',
      config: { access: 'hook' },
      schema: { hide: true },
      handler: async (_request, reply) =>
        reply
          .code(405)
          .header('allow', 'POST')
          .send({ error: { code: 'MethodNotAllowed', message: 'webhooks are POST requests' } }),
    });
  });
}

function pick(body: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => body[k] !== undefined).map((k) => [k, body[k]]));
}

function providerOf(headers: IncomingHttpHeaders): string {
  return detectProvider(headers) ?? 'unknown';
}
