import type { Redis } from 'ioredis';
import type { BerthConfig } from '../config/index.js';
import { loadConfig } from '../config/index.js';
import { connectRedis, createStores, type Stores } from '../store/index.js';
import { BerthError } from '../util/berth-error.js';
import type { CliContext } from './context.js';
import { useSecretEncryption } from './secret-encryption.js';

/** The configuration and a Redis connection of a command that reads or changes Berth's state. */
export interface CliState {
  config: BerthConfig;
  redis: Redis;
  /** Berth's stores over that connection. */
  stores: Stores;
  /** Closes the Redis connection. */
  close(): void;
}

/**
 * Loads the configuration (`configPath`, else $BERTH_CONFIG or ./berth.yaml; or takes the one
 * the command `loaded`) and connects to
 * its Redis, failing fast (a BerthError `RedisUnavailable`, exit 1) when it does not answer.
 */
export async function openState(
  ctx: CliContext,
  configPath?: string,
  loaded?: BerthConfig,
): Promise<CliState> {
  const config =
    loaded ??
    loadConfig({
      env: ctx.env,
      cwd: ctx.cwd,
      ...(configPath ? { path: configPath } : {}),
    });
  useSecretEncryption(config, ctx.env);
  const redis = await connectRedis(config.redis.url, { maxRetriesPerRequest: 1 });
  return {
    config,
    redis,
    stores: createStores(redis, config.redis.keyPrefix),
    close: () => redis.disconnect(),
  };
}

/**
 * The names of every source Berth knows: configured ones and those with a state in Redis (a
 * source removed from berth.yaml keeps its state until `berth down`), sorted.
 */
export async function knownSources(state: CliState): Promise<string[]> {
  const stored = await state.stores.sources.list();
  return [
    ...new Set([...state.config.sources.map((s) => s.name), ...stored.map((s) => s.name)]),
  ].sort();
}

/** The error (exit 1) of a source Berth does not know, listing those it knows. */
export function unknownSource(name: string, known: readonly string[]): BerthError {
  return new BerthError(
    'UnknownSource',
    `source "${name}" not found; known sources: ${known.join(', ') || 'none'}`,
    { source: name, known: [...known] },
  );
}
