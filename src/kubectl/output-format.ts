import { stringify } from 'yaml';
import { ConfigError } from '../config/config-error.js';

/** The `-o` formats a command accepts; `undefined` is the default table. */
export type OutputFormat = 'json' | 'yaml' | 'wide' | 'name';

/** Checks `-o` against the formats a command accepts; a ConfigError (exit 2) names them. */
export function parseOutput<T extends OutputFormat>(
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`--output must be one of ${allowed.join(', ')}, not "${value}"`);
}

/** A value as kubectl prints it with `-o json` (4-space indent, as kubectl) or `-o yaml`. */
export function printStructured(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(value, null, 4)}\n` : stringify(value);
}

/** kubectl's List wrapper: `{"apiVersion": "v1", "kind": "List", "items": [...]}`. */
export function asList(items: unknown[]): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } };
}
