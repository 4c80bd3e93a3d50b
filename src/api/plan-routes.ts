import type { FastifyInstance } from 'fastify';
import { type PlanReport, planObject, renderMarkdown } from '../plan/index.js';
import { BerthError } from '../util/berth-error.js';
import { MAX_REF_LENGTH, refNameProblem } from '../util/git-ref-name.js';
import type { Logger } from '../util/logger.js';
import { ApiError } from './api-error.js';
import { ERROR_SCHEMA, OBJECT_SCHEMA, SOURCE_PARAMS } from './api-schemas.js';

type Plans = (
  source: string,
  query: { ref?: string; against?: string },
) => Promise<PlanReport | undefined>;

const REF = { type: 'string', minLength: 1, maxLength: MAX_REF_LENGTH } as const;

/**
 * `GET /api/v1/sources/<source>/plan?ref=&against=&format=`: the plan of a ref (it reads git and
 * validates: an action, so it needs the token). JSON (a Kubernetes-shaped Plan) by default, the
 * pull-request Markdown with `format=markdown` or `Accept: text/markdown`. `ref` and `against`
 * must be git ref names or SHAs (`against` also `live`); a missing source or ref is 404; an
 * invalid revision is still 200, its problems in the plan.
 */
export function registerPlanRoute(app: FastifyInstance, plans: Plans, logger?: Logger): void {
  app.get<{
    Params: { source: string };
    Querystring: { ref?: string; against?: string; format?: 'json' | 'markdown' };
  }>(
    '/api/v1/sources/:source/plan',
    {
      config: { access: 'act' },
      schema: {
        summary:
          'The plan of a ref of a source, against what runs or another ref (needs the token)',
        params: SOURCE_PARAMS,
        querystring: {
          type: 'object',
          properties: {
            ref: REF,
            against: REF,
            format: { enum: ['json', 'markdown'] },
          },
          additionalProperties: false,
        },
        response: { 200: OBJECT_SCHEMA, '4xx': ERROR_SCHEMA, '5xx': ERROR_SCHEMA },
      },
    },
    async (request, reply) => {
      const { source } = request.params;
      const { ref, against } = request.query;
      for (const [name, value] of [
        ['ref', ref],
        ['against', against],
      ] as const) {
        if (value === undefined || (name === 'against' && value === 'live')) continue;
        const problem = refNameProblem(value);
        if (problem) throw new ApiError(400, 'BadRef', `${name}: ${problem}`, { parameter: name });
      }
      const format =
        request.query.format ??
        (request.headers.accept?.includes('text/markdown') ? 'markdown' : 'json');
      let report: PlanReport | undefined;
      try {
        report = await plans(source, {
          ...(ref ? { ref } : {}),
          ...(against ? { against } : {}),
        });
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'SourceRefNotFound' || code === 'SourcePathNotFound')
          throw new ApiError(404, code, (err as Error).message);
        logger?.error({ source, err: String(err) }, 'plan request failed');
        throw new ApiError(
          500,
          code ?? 'InternalError',
          err instanceof BerthError ? err.message : 'the plan could not be made',
        );
      }
      if (!report) throw new ApiError(404, 'SourceNotFound', `no source "${source}"`);
      if (format === 'json') return planObject(report);
      return reply.type('text/markdown; charset=utf-8').send(renderMarkdown(report));
    },
  );
}
