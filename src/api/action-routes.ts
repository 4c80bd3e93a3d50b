import type { FastifyInstance } from 'fastify';
import { planObject } from '../plan/index.js';
import { BerthError, errorMessage } from '../util/berth-error.js';
import type { Logger } from '../util/logger.js';
import { ApiError } from './api-error.js';
import { ERROR_SCHEMA, SOURCE_PARAMS } from './api-schemas.js';
import type { ApiActions } from './source-actions.js';

export type { ApiActions } from './source-actions.js';

const SHA = { type: 'string', pattern: '^[0-9a-f]{40}$' } as const;
const ANSWER = { type: 'object', additionalProperties: true } as const;
const ERRORS = { '4xx': ERROR_SCHEMA, '5xx': ERROR_SCHEMA } as const;

/**
 * The actions, each needing the token: `POST /api/v1/sources/<source>/sync`, `/suspend`,
 * `/resume`, and `/rollback` (`{"to", "reason", "dryRun"}`; a dry run answers the plan of the
 * revert). A refused rollback (conflict, dirty tree, push denied) is 409 with its code.
 */
export function registerActionRoutes(
  app: FastifyInstance,
  actions: ApiActions,
  logger?: Logger,
): void {
  const act = { config: { access: 'act' as const } };
  app.post<{ Params: { source: string } }>(
    '/api/v1/sources/:source/sync',
    {
      ...act,
      schema: {
        summary: 'Fetch the source now and sync its target revision (needs the token)',
        params: SOURCE_PARAMS,
        response: { 202: ANSWER, ...ERRORS },
      },
    },
    async (request, reply) => {
      const done = await run(() => actions.sync(request.params.source), logger);
      logger?.info({ source: request.params.source, ...done }, 'sync requested over the API');
      return reply.code(202).send({ status: 'accepted', ...done });
    },
  );
  for (const [verb, suspended] of [
    ['suspend', true],
    ['resume', false],
  ] as const) {
    app.post<{ Params: { source: string } }>(
      `/api/v1/sources/:source/${verb}`,
      {
        ...act,
        schema: {
          summary: `${suspended ? 'Stop applying' : 'Apply again'} the source's new revisions (berth ${verb}; needs the token)`,
          params: SOURCE_PARAMS,
          response: { 200: ANSWER, ...ERRORS },
        },
      },
      async (request) => {
        const change = await run(
          () => actions.setSuspended(request.params.source, suspended),
          logger,
        );
        logger?.info({ source: request.params.source, suspended }, `source ${verb} over the API`);
        return { suspended, ...change };
      },
    );
  }
  app.post<{
    Params: { source: string };
    Body: { to?: string; reason?: string; dryRun?: boolean } | undefined;
  }>(
    '/api/v1/sources/:source/rollback',
    {
      ...act,
      schema: {
        summary:
          'Revert the commits after "to" (default: the last commit) with a commit on the branch (berth rollback); dryRun answers the plan of the revert (needs the token)',
        params: SOURCE_PARAMS,
        body: {
          type: ['object', 'null'],
          properties: {
            to: SHA,
            reason: { type: 'string', maxLength: 1000 },
            dryRun: { type: 'boolean' },
          },
          additionalProperties: false,
        },
        response: { 200: ANSWER, 201: ANSWER, ...ERRORS },
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const answer = await run(() => actions.rollback(request.params.source, body), logger);
      if (answer.dryRun) return { dryRun: true, to: answer.to, plan: planObject(answer.plan) };
      const r = answer.result;
      logger?.info(
        { source: request.params.source, commit: r.commit },
        `rollback committed over the API: ${r.message.split('\n', 1)[0]}`,
      );
      return reply.code(201).send({
        dryRun: false,
        branch: r.branch,
        commit: r.commit,
        parent: r.parent,
        subject: r.message.split('\n', 1)[0],
        reverted: r.reverted.map((c) => c.sha),
        pushed: r.pushed,
      });
    },
  );
}

/** Runs an action: ApiErrors pass, Berth's refusals become 409 with their code, the rest 500. */
async function run<T>(action: () => Promise<T>, logger?: Logger): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof BerthError) {
      const notFound = err.code === 'UnknownSource' || err.code.endsWith('NotFound');
      throw new ApiError(notFound ? 404 : 409, err.code, err.message);
    }
    logger?.error({ err: errorMessage(err) }, 'API action failed');
    throw new ApiError(500, 'InternalError', 'the action failed');
  }
}
