import type { FastifyInstance } from 'fastify';

/** `GET /metrics`: Prometheus' text format (a read: loopback or the token). */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: () => Promise<{ contentType: string; text: string }>,
): void {
  app.get(
    '/metrics',
    {
      schema: {
        summary: "Berth's metrics in Prometheus' text exposition format (see docs/api.md)",
        produces: ['text/plain'],
        response: { 200: { type: 'string' } },
      },
    },
    async (_request, reply) => {
      const { contentType, text } = await metrics();
      return reply.type(contentType).send(text);
    },
  );
}
