#!/usr/bin/env node
// Writes the validators of Berth's JSON Schemas as ajv standalone code next to the compiled
// modules that load them (dist/manifests/schema-validators.cjs, dist/config/config-validator.cjs),
// so a `berth` process never compiles a schema. Run by `npm run build` after tsc; running from
// the sources (tests, tsx), Berth compiles the schemas itself instead. Not committed: the
// output is built from schemas/ every time, so it cannot drift from them.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const dist = new URL('../dist/', import.meta.url);
const { PRECOMPILED_SCHEMAS, precompiledSchemaCode } = await import(
  new URL('manifests/schema-registry.js', dist).href
);
const { PRECOMPILED_CONFIG, precompiledConfigCode } = await import(
  new URL('config/config-validator.js', dist).href
);
for (const [file, code] of [
  [PRECOMPILED_SCHEMAS, precompiledSchemaCode()],
  [PRECOMPILED_CONFIG, precompiledConfigCode()],
]) {
  await writeFile(file, code);
  console.log(`wrote ${fileURLToPath(file)} (${Math.round(code.length / 1024)} KiB)`);
}
