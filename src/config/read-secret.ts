import { readFileSync } from 'node:fs';
import type { SecretRef } from './berth-config.js';
import { ConfigError } from './config-error.js';

/**
 * Reads a secret from where the configuration says it is (an environment variable or a file),
 * trailing newline removed. Errors name the variable or file, never the value.
 */
export function readSecret(ref: SecretRef, env: NodeJS.ProcessEnv = process.env): string {
  if (ref.env !== undefined) {
    const value = env[ref.env];
    if (value === undefined || value === '')
      throw new ConfigError(`the environment variable ${ref.env} is not set`, { env: ref.env });
    return value;
  }
  if (ref.file !== undefined) {
    try {
      return readFileSync(ref.file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new ConfigError(
        `cannot read secret file ${ref.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
        {
          file: ref.file,
        },
      );
    }
  }
  throw new ConfigError('a secret reference needs env or file');
}
