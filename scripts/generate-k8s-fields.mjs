#!/usr/bin/env node
// Generates schemas/k8s/kubernetes-fields.json: the names of the fields Kubernetes itself has,
// per object type, for the kinds Berth supports. Berth's own schemas reject every field they do
// not describe; this list tells the validator whether such a field is one Kubernetes has (then
// "not supported by Berth") or one nobody has (a typo: "not a field of <type>").
// Read once from the upstream strict JSON Schemas (default ../shared/corpus/k8s-schemas/...):
//   node scripts/generate-k8s-fields.mjs [--check] [DIR]
// Each distinct field set is stored once (the PodSpec tree is shared by 7 kinds).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

// --check: compare with the committed file (as JSON: formatting may differ) instead of writing.
const check = process.argv.includes('--check');
async function emit(file, value, text) {
  if (!check) {
    await writeFile(file, text);
    console.log(`wrote ${file}`);
    return;
  }
  const current = await readFile(file, 'utf8').then(JSON.parse, () => undefined);
  if (!isDeepStrictEqual(current, value)) {
    console.error(`${file} is out of date: run node ${process.argv[1]}`);
    process.exitCode = 1;
  }
}

const dir = path.resolve(
  process.argv.slice(2).find((a) => !a.startsWith('--')) ??
    '../shared/corpus/k8s-schemas/v1.32.2-standalone-strict',
);
const out = 'schemas/k8s/kubernetes-fields.json';
const types = [];
const index = new Map();

/** Interns the field tree of an object schema; returns its index, or -1 for a leaf. */
function intern(schema) {
  let s = schema;
  if (s?.items?.properties || s?.items?.items) s = s.items;
  if (s?.items?.properties) s = s.items;
  if (!s?.properties) return -1;
  const node = {};
  for (const name of Object.keys(s.properties).sort()) node[name] = intern(s.properties[name]);
  const key = JSON.stringify(node);
  let i = index.get(key);
  if (i === undefined) {
    i = types.length;
    types.push(node);
    index.set(key, i);
  }
  return i;
}

const kinds = {};
for (const file of (await readdir(dir)).sort()) {
  if (!file.endsWith('.json')) continue;
  const schema = JSON.parse(await readFile(path.join(dir, file), 'utf8'));
  const apiVersion = schema.properties?.apiVersion?.enum?.[0];
  const kind = schema.properties?.kind?.enum?.[0];
  if (!apiVersion || !kind) continue;
  kinds[`${apiVersion} ${kind}`] = intern(schema);
}
const result = { source: path.basename(dir), kinds, types };
await emit(out, result, `${JSON.stringify(result)}\n`);
