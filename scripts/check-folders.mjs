#!/usr/bin/env node
// The folder-level dependency rule of src/ (docs/architecture.md), checked in `npm run check`:
//  1. no cycle between top-level folders (file-level cycles are `npm run cycles`);
//  2. an import into another folder goes through that folder's public surface: an index.ts
//     (src/network/services/index.ts counts), except util/ and kubectl/ (toolboxes without
//     one: kubectl's printers are imported one by one, so a command loads only its own) and
//     manifests/generated/ (the Kubernetes types);
//  3. none of the FORBIDDEN edges below.
// Usage: node scripts/check-folders.mjs [--graph]   (--graph prints the folder graph)
import madge from 'madge';

/** Folder → folders it must never import (the lower layers never reach up). */
const FORBIDDEN = {
  util: ['*'],
  config: ['*', '!util'],
  runtime: ['*', '!util'],
  store: ['controllers', 'daemon', 'cli', 'api', 'node', 'network', 'queue', 'sync', 'source'],
  queue: ['controllers', 'daemon', 'cli', 'api', 'node', 'network', 'sync', 'source'],
  manifests: ['controllers', 'daemon', 'cli', 'api', 'node', 'network', 'queue', 'store', 'sync'],
  health: ['controllers', 'daemon', 'cli', 'api', 'node', 'network', 'queue', 'store', 'sync'],
  plan: ['controllers', 'daemon', 'cli', 'api', 'node', 'network', 'queue', 'store', 'sync'],
  node: ['controllers', 'daemon', 'cli', 'api', 'queue', 'store', 'sync'],
  network: ['controllers', 'daemon', 'cli', 'api', 'node', 'queue', 'sync'],
  controllers: ['daemon', 'cli', 'api', 'sync', 'source', 'rollback', 'review'],
  sync: ['daemon', 'cli', 'api', 'node', 'network'],
  cli: ['controllers', 'sync', 'network'],
  kubectl: ['controllers', 'daemon', 'cli', 'api', 'queue', 'sync', 'source', 'network'],
  actions: ['daemon', 'cli', 'api'],
  metrics: ['daemon', 'cli', 'api', 'queue'],
};

/**
 * Leaf modules other folders may import directly: pure and cheap, so a CLI command does not load
 * a whole folder (with its schemas, git or Docker clients) to use one of them.
 */
const CHEAP_LEAVES = new Set([
  'manifests/kinds.ts',
  'manifests/label-selector.ts',
  'manifests/pod-template.ts',
  'store/as-kind.ts',
  'config/config-error.ts',
  'config/describe-ref.ts',
  // The CLI reads the API token without loading the API server (fastify).
  'api/api-token.ts',
]);

const folderOf = (file) => file.split('/')[0];
const isPublic = (file) =>
  /(^|\/)index\.ts$/.test(file) ||
  file.startsWith('util/') ||
  file.startsWith('kubectl/') ||
  file.startsWith('manifests/generated/') ||
  CHEAP_LEAVES.has(file);

function forbidden(from, to) {
  const rule = FORBIDDEN[from];
  if (!rule) return false;
  if (rule.includes(`!${to}`)) return false;
  return rule.includes('*') || rule.includes(to);
}

const result = await madge('src', {
  fileExtensions: ['ts'],
  tsConfig: 'tsconfig.json',
});
const graph = result.obj();
const edges = new Map();
const problems = [];
for (const [file, deps] of Object.entries(graph)) {
  const from = folderOf(file);
  if (!file.includes('/')) continue;
  for (const dep of deps) {
    const to = folderOf(dep);
    if (to === from || !dep.includes('/')) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    const byTarget = edges.get(from);
    if (!byTarget.has(to)) byTarget.set(to, []);
    byTarget.get(to).push(`${file} -> ${dep}`);
    if (!isPublic(dep))
      problems.push(`src/${file} imports src/${dep}: import ${to}/index.ts instead`);
    if (forbidden(from, to))
      problems.push(`src/${file} imports src/${dep}: ${from}/ must not depend on ${to}/`);
  }
}

// Folder cycles: a depth-first search over the folder graph.
const state = new Map();
const stack = [];
function visit(folder) {
  state.set(folder, 'open');
  stack.push(folder);
  for (const next of edges.get(folder)?.keys() ?? []) {
    if (state.get(next) === 'open') {
      const cycle = [...stack.slice(stack.indexOf(next)), next];
      const witnesses = cycle
        .slice(0, -1)
        .map((f, i) => edges.get(f).get(cycle[i + 1])[0])
        .join('; ');
      problems.push(`folder cycle ${cycle.join(' -> ')} (${witnesses})`);
    } else if (!state.has(next)) visit(next);
  }
  stack.pop();
  state.set(folder, 'done');
}
for (const folder of [...edges.keys()].sort()) if (!state.has(folder)) visit(folder);

if (process.argv.includes('--graph')) {
  for (const [from, targets] of [...edges].sort())
    console.log(`${from} -> ${[...targets.keys()].sort().join(' ')}`);
}
if (problems.length > 0) {
  for (const p of [...new Set(problems)]) console.error(p);
  console.error(`\n${problems.length} folder dependency problem(s): see scripts/check-folders.mjs`);
  process.exit(1);
}
console.log(`folders: ${edges.size} folders, no cycle, no forbidden or deep import`);
