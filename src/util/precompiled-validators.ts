import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import type { Ajv2020 as Ajv } from 'ajv/dist/2020.js';

const require = createRequire(import.meta.url);

/**
 * The validators the build wrote to `file` (ajv standalone code, CommonJS, by
 * scripts/precompile-schemas.mjs), by name; undefined when there is no such file, as when Berth
 * runs from its sources (tests, tsx): the caller compiles its schemas then. Loading them costs
 * a fraction of compiling the schemas, which `berth validate` and every command reading
 * berth.yaml would otherwise pay at each start.
 */
export function loadPrecompiled(file: URL): Record<string, ValidateFunction> | undefined {
  const path = fileURLToPath(file);
  return existsSync(path) ? (require(path) as Record<string, ValidateFunction>) : undefined;
}

/**
 * ajv's draft 2020-12 class, loaded on first use (synchronously: ajv is CommonJS), so that a
 * process using precompiled validators never loads the compiler.
 */
export function ajv2020(): typeof import('ajv/dist/2020.js').Ajv2020 {
  return (require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')).Ajv2020;
}

/** Adds ajv-formats' `formats` to `ajv` (loaded on first use, as {@link ajv2020}). */
export function addFormats(ajv: Ajv, formats: string[]): void {
  (require('ajv-formats') as typeof import('ajv-formats').default)(ajv, formats as never);
}

/**
 * The standalone code (CommonJS) of the schemas of `ajv` named in `exports` (export name ->
 * schema id), for {@link loadPrecompiled}. `ajv` must have been made with `code.source`.
 */
export function standaloneCode(ajv: Ajv, exports: Record<string, string>): string {
  const generate = require('ajv/dist/standalone/index.js') as {
    default: (ajv: Ajv, refs: Record<string, string>) => string;
  };
  return generate.default(ajv, exports);
}
