#!/usr/bin/env node
// Generates TypeScript types from the JSON Schemas in schemas/, so the types never drift from
// what Berth validates. Run by `npm run generate`; the output is committed and checked in CI
// (`npm run generate -- --check` fails when a schema changed but its types were not regenerated).
// src/manifests/generated/ is the only source of Kubernetes types (docs/architecture.md):
//   k8s-objects.ts  the kinds as Git gives them (schemas/k8s/, what `berth validate` checks),
//   k8s-status.ts   what the controllers write (schemas/k8s-status.json: statuses, Endpoints),
//   k8s-kinds.ts    KindMap: each kind's object and status type, for the store's typed reads.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { compile } from 'json-schema-to-typescript';

/**
 * Fields the types mark required although the schema does not: Berth's semantic checks reject
 * an object without them (so every object in the store has them), and its readers rely on it.
 * Applied to the types only: the schemas, and so the validation errors, stay as they are.
 * schema file -> type (`$root` for the kind itself) -> fields.
 */
const BERTH_REQUIRED = {
  // podTemplateOf (manifests/pod-template.ts): a workload without its pod template is rejected.
  'apps-v1-deployment.json': { $root: ['spec'] },
  'apps-v1-replicaset.json': { $root: ['spec'], ReplicaSetSpec: ['template'] },
  'apps-v1-statefulset.json': { $root: ['spec'] },
  'apps-v1-daemonset.json': { $root: ['spec'] },
  'batch-v1-job.json': { $root: ['spec'] },
  'batch-v1-cronjob.json': { $root: ['spec'], JobTemplateSpec: ['spec'] },
  'pod-v1.json': { $root: ['spec'] },
  // podTemplateOf: `…/template/spec` missing is an error; checkContainer: an image is required.
  'defs-pod.json': { PodTemplateSpec: ['spec'], Container: ['image'] },
};

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
    patch: BERTH_REQUIRED,
  },
  {
    schema: 'schemas/k8s-status.json',
    out: 'src/manifests/generated/k8s-status.ts',
    name: 'BerthStatus',
  },
];

/** A copy of the schema's folder with BERTH_REQUIRED applied; returns the copy's folder. */
async function patched(dir, patch) {
  const copy = await mkdtemp(path.join(tmpdir(), 'berth-types-'));
  for (const file of await readdir(dir)) {
    if (!file.endsWith('.json')) continue;
    const json = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
    for (const [type, fields] of Object.entries(patch[file] ?? {})) {
      const target = type === '$root' ? json : json.$defs?.[type];
      if (!target?.properties) throw new Error(`${file}: no type ${type} to patch`);
      for (const f of fields)
        if (!(f in target.properties)) throw new Error(`${file}#${type}: no field ${f}`);
      target.required = [...new Set([...(target.required ?? []), ...fields])];
    }
    await writeFile(path.join(copy, file), JSON.stringify(json));
  }
  return copy;
}

/** The kinds of objects.json, each with its status type (from k8s-status.json) if it has one. */
async function kindsFile() {
  const objects = JSON.parse(await readFile('schemas/k8s/objects.json', 'utf8'));
  const status = JSON.parse(await readFile('schemas/k8s-status.json', 'utf8'));
  const kinds = [];
  for (const { $ref } of objects.anyOf) {
    const root = JSON.parse(await readFile(path.join('schemas/k8s', $ref), 'utf8'));
    kinds.push(root.properties.kind.const);
  }
  kinds.push('Endpoints');
  kinds.sort();
  const rows = kinds.map((k) => {
    const s = `${k}Status`;
    const object = k === 'Endpoints' ? 'Endpoints' : `O.${k}`;
    return `  ${k}: { object: ${object}; status: ${status.$defs[s] ? `S.${s}` : 'never'} };`;
  });
  return `/* Generated from schemas/k8s/objects.json and schemas/k8s-status.json by scripts/generate-types.mjs. Do not edit. */

import type * as O from './k8s-objects.js';
import type * as S from './k8s-status.js';

/** core/v1 Endpoints: one per Service, written by the Service controller (never from Git). */
export interface Endpoints {
  apiVersion: 'v1';
  kind: 'Endpoints';
  metadata: O.ObjectMeta;
  subsets?: S.EndpointSubset[];
}

/** Every kind Berth stores: the object as Git gives it and the status its controller writes. */
export interface KindMap {
${rows.join('\n')}
}

/** A kind Berth stores. */
export type Kind = keyof KindMap;

`;
}

const check = process.argv.includes('--check');
let stale = 0;
async function write(out, ts, schema) {
  const current = await readFile(out, 'utf8').catch(() => '');
  if (current === ts) return;
  if (check) {
    console.error(`${out} is out of date with ${schema}: run npm run generate`);
    stale++;
  } else {
    await writeFile(out, ts);
    console.log(`wrote ${out}`);
  }
}
for (const { schema, out, name, patch } of TARGETS) {
  const dir = patch ? await patched(path.dirname(schema), patch) : path.dirname(schema);
  try {
    const json = JSON.parse(await readFile(path.join(dir, path.basename(schema)), 'utf8'));
    json.title = name;
    const ts = await compile(json, name, {
      cwd: dir,
      bannerComment: `/* Generated from ${schema} by scripts/generate-types.mjs. Do not edit. */`,
      additionalProperties: false,
      style: { singleQuote: true, printWidth: 100 },
    });
    await write(out, ts, schema);
  } finally {
    if (patch) await rm(dir, { recursive: true, force: true });
  }
}
await write('src/manifests/generated/k8s-kinds.ts', await kindsFile(), 'schemas/k8s/objects.json');
process.exitCode = stale > 0 ? 1 : 0;
