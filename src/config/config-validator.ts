import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { ajv2020, loadPrecompiled, standaloneCode } from '../util/precompiled-validators.js';

const SCHEMA = fileURLToPath(new URL('../../schemas/berth-config.schema.json', import.meta.url));

/** Where `npm run build` writes the validator of berth.yaml (scripts/precompile-schemas.mjs). */
export const PRECOMPILED_CONFIG = new URL('./config-validator.cjs', import.meta.url);

function configAjv(options: { source?: boolean } = {}) {
  const Ajv = ajv2020();
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    ...(options.source ? { code: { source: true } } : {}),
  });
  ajv.addSchema(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object, 'berth-config');
  return ajv;
}

/**
 * The validator of schemas/berth-config.schema.json: the one the build precompiled when there
 * is one (dist/), else compiled now.
 */
export function configValidator(): ValidateFunction {
  const found =
    loadPrecompiled(PRECOMPILED_CONFIG)?.validate ?? configAjv().getSchema('berth-config');
  if (!found) throw new Error('schemas/berth-config.schema.json did not compile');
  return found;
}

/** The standalone code (CommonJS) of {@link configValidator}, exported as `validate`. */
export function precompiledConfigCode(): string {
  return standaloneCode(configAjv({ source: true }), { validate: 'berth-config' });
}
