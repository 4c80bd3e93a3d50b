#!/usr/bin/env node
// Generates TypeScript types from the JSON Schemas in schemas/, so the types never drift from
// what Berth validates. Run by `npm run generate`; the output is committed and checked in CI
// (`npm run generate -- --check` fails when a schema changed but its types were not regenerated).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compile } from 'json-schema-to-typescript';

/** schema file -> generated file; later issues append their schemas here. */
export const TARGETS = [
  {
    schema: 'schemas/berth-config.schema.json',
    out: 'src/config/generated/berth-config-file.ts',
    name: 'BerthConfigFile',
  },
  {
    schema: 'schemas/k8s/objects.json',
    out: 'src/manifests/generated/k8s-objects.ts',
    name: 'BerthObject',
  },
];

const check = process.argv.includes('--check');
let stale = 0;
for (const { schema, out, name } of TARGETS) {
  const json = JSON.parse(await readFile(schema, 'utf8'));
  json.title = name;
  const ts = await compile(json, name, {
    cwd: path.dirname(schema),
    bannerComment: `/* Generated from ${schema} by scripts/generate-types.mjs. Do not edit. */`,
    additionalProperties: false,
    style: { singleQuote: true, printWidth: 100 },
  });
  const current = await readFile(out, 'utf8').catch(() => '');
  if (current === ts) continue;
  if (check) {
    console.error(`${out} is out of date with ${schema}: run npm run generate`);
    stale++;
  } else {
    await writeFile(out, ts);
    console.log(`wrote ${out}`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
