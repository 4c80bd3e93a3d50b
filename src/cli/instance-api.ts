import http from 'node:http';
import { readApiToken } from '../api/api-token.js';
import { type BerthConfig, readSecret } from '../config/index.js';
import { STORE_ID_HEADER, storeId } from '../util/store-id.js';
import type { CliContext } from './context.js';

/** An answer of the running instance's API. */
export interface InstanceAnswer {
  status: number;
  body: string;
}

/** The environment variable that turns the API path off (`off`): read commands go to Redis. */
export const CLI_API_ENV = 'BERTH_CLI_API';

/** How long the CLI waits for a connection to the API before reading Redis instead. */
const CONNECT_TIMEOUT_MS = 1000;
/** How long it waits for an answer once connected. */
const ANSWER_TIMEOUT_MS = 15_000;

/**
 * GETs `path` from the API of the instance the configuration describes (`api.listen`; an
 * unspecified address is asked on loopback), with the API token when one is configured or
 * generated (`<stateDir>/api-token`). Undefined — read Redis instead — when nothing answers,
 * when the answer does not come from an instance of the same store (`x-berth-store`, the
 * one-way id of `redis.keyPrefix`), when it is neither 200 nor 404, or when `BERTH_CLI_API=off`.
 * Loads nothing but node:http: the fast path of `berth get` against a running instance.
 */
export async function askInstance(
  ctx: CliContext,
  config: BerthConfig,
  path: string,
): Promise<InstanceAnswer | undefined> {
  if (ctx.env[CLI_API_ENV] === 'off') return undefined;
  const host =
    config.api.host === '0.0.0.0'
      ? '127.0.0.1'
      : config.api.host === '::'
        ? '::1'
        : config.api.host;
  let token: string | undefined;
  try {
    token = config.api.token
      ? readSecret(config.api.token, ctx.env)
      : readApiToken(config.stateDir);
  } catch {
    token = undefined;
  }
  const answer = await new Promise<(InstanceAnswer & { store?: string }) | undefined>((resolve) => {
    const request = http.get(
      {
        host,
        port: config.api.port,
        path,
        headers: {
          accept: 'application/json, text/plain',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        timeout: CONNECT_TIMEOUT_MS,
      },
      (res) => {
        request.setTimeout(ANSWER_TIMEOUT_MS);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const store = res.headers[STORE_ID_HEADER];
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ...(typeof store === 'string' ? { store } : {}),
          });
        });
        res.on('error', () => resolve(undefined));
      },
    );
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(undefined));
  });
  if (!answer || answer.store !== storeId(config.redis.keyPrefix)) return undefined;
  // 200 and 404 are answers; anything else (401, 429, 5xx, an older server's 400) is not.
  if (answer.status !== 200 && answer.status !== 404) return undefined;
  return { status: answer.status, body: answer.body };
}
