import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type BerthConfig, readSecret } from '../config/index.js';

/** The file, under the state directory, a generated API token is kept in (mode 0600). */
export const TOKEN_FILE = 'api-token';

/**
 * The API token of an instance: `api.token` when configured (an `{env}` or `{file}` secret),
 * else the one in `<stateDir>/api-token`, generated there (32 random bytes, base64url, mode
 * 0600) at the first start. Throws ConfigError when a configured secret cannot be read.
 */
export function resolveApiToken(
  config: Pick<BerthConfig, 'api' | 'stateDir'>,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (config.api.token) return readSecret(config.api.token, env);
  const existing = readApiToken(config.stateDir);
  if (existing) return existing;
  const file = path.join(config.stateDir, TOKEN_FILE);
  mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  try {
    // `wx`: two processes starting at once keep the first one's token.
    writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readApiToken(config.stateDir) ?? token;
  }
  chmodSync(file, 0o600);
  return token;
}

/** The generated token in `<stateDir>/api-token`, or undefined when there is none (or it cannot be read). */
export function readApiToken(stateDir: string): string | undefined {
  try {
    const value = readFileSync(path.join(stateDir, TOKEN_FILE), 'utf8').trim();
    return value === '' ? undefined : value;
  } catch {
    return undefined;
  }
}
