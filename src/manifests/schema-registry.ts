import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const schemaDir = fileURLToPath(new URL('../../schemas/k8s/', import.meta.url));
const SHARED = ['defs-meta.json', 'defs-pod.json'];

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaDir + file, 'utf8')) as Record<string, unknown>;
}

function instance(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  addFormats.default(ajv, ['int32', 'int64', 'byte', 'date-time']);
  // Added, not compiled: a schema is compiled on its first getSchema (kinds reference each
  // other, e.g. CronJob uses Job's JobSpec).
  for (const file of [...SHARED, ...kindSchemaFiles()]) ajv.addSchema(readSchema(file), file);
  return ajv;
}

/**
 * The compiled validator of one schema file of schemas/k8s/ (`apps-v1-deployment.json`).
 * ajv is created once and each kind is compiled the first time it is needed, then cached:
 * a run pays only for the kinds it meets.
 */
export function validatorFor(schemaFile: string): ValidateFunction {
  let validate = compiled.get(schemaFile);
  if (!validate) {
    const found = instance().getSchema(schemaFile);
    if (!found) throw new Error(`no schema ${schemaFile} in schemas/k8s/`);
    validate = found;
    compiled.set(schemaFile, validate);
  }
  return validate;
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
