import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import {
  addFormats,
  ajv2020,
  loadPrecompiled,
  standaloneCode,
} from '../util/precompiled-validators.js';

const schemaDir = fileURLToPath(new URL('../../schemas/k8s/', import.meta.url));
const SHARED = ['defs-meta.json', 'defs-pod.json'];

/** Where `npm run build` writes the validator of every kind (scripts/precompile-schemas.mjs). */
export const PRECOMPILED_SCHEMAS = new URL('./schema-validators.cjs', import.meta.url);

let ajv: Ajv2020 | undefined;
let precompiled: Record<string, ValidateFunction> | undefined | null = null;
const compiled = new Map<string, ValidateFunction>();

function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaDir + file, 'utf8')) as Record<string, unknown>;
}

/**
 * An ajv with every schema of schemas/k8s added, not compiled: a schema is compiled on its first
 * getSchema (kinds reference each other, e.g. CronJob uses Job's JobSpec). `source` keeps the
 * generated code, for {@link precompiledSchemaCode}.
 */
export function schemaAjv(options: { source?: boolean } = {}): Ajv2020 {
  const Ajv = ajv2020();
  const instance = new Ajv({
    allErrors: true,
    strict: true,
    allowUnionTypes: true,
    verbose: true,
    ...(options.source ? { code: { source: true } } : {}),
  });
  addFormats(instance, ['int32', 'int64', 'byte', 'date-time']);
  for (const file of [...SHARED, ...kindSchemaFiles()]) instance.addSchema(readSchema(file), file);
  return instance;
}

/**
 * The validator of one schema file of schemas/k8s/ (`apps-v1-deployment.json`): the one the
 * build precompiled when there is one (dist/), else compiled the first time it is needed (ajv is
 * created once), then cached: a run pays only for the kinds it meets.
 */
export function validatorFor(schemaFile: string): ValidateFunction {
  let validate = compiled.get(schemaFile);
  if (!validate) {
    if (precompiled === null) precompiled = loadPrecompiled(PRECOMPILED_SCHEMAS);
    const found = precompiled?.[schemaFile] ?? compile(schemaFile);
    if (!found) throw new Error(`no schema ${schemaFile} in schemas/k8s/`);
    validate = found;
    compiled.set(schemaFile, validate);
  }
  return validate;
}

function compile(schemaFile: string): ValidateFunction | undefined {
  ajv ??= schemaAjv();
  return ajv.getSchema(schemaFile);
}

/**
 * The standalone code (CommonJS) of the validator of every kind, exported under its schema
 * file's name: what the build writes to {@link PRECOMPILED_SCHEMAS}.
 */
export function precompiledSchemaCode(): string {
  const files = kindSchemaFiles();
  return standaloneCode(schemaAjv({ source: true }), Object.fromEntries(files.map((f) => [f, f])));
}

/** The schema files of schemas/k8s/ that describe one kind each. */
export function kindSchemaFiles(): string[] {
  return readdirSync(schemaDir).filter(
    (f) =>
      f.endsWith('.json') &&
      !f.startsWith('defs-') &&
      !['objects.json', 'kubernetes-fields.json'].includes(f),
  );
}
