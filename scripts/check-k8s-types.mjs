#!/usr/bin/env node
// Kubernetes types come from src/manifests/generated (scripts/generate-types.mjs) and nowhere
// else (docs/architecture.md). This check, run by `npm run check`, fails on a new local
// declaration of a Kubernetes-shaped type outside that folder (an interface or type alias named
// like *Spec, *Status, *Condition, *Template or after a Kubernetes kind) and on a new
// `.spec as` / `.status as` cast. The ones left are listed in scripts/k8s-types-baseline.json,
// each with its reason in `reasons` (a baseline entry without one fails the check), to be
// removed, never added to.
// Usage: node scripts/check-k8s-types.mjs [--update]   (--update rewrites the baseline: only to shrink it)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const BASELINE = path.join(ROOT, 'scripts', 'k8s-types-baseline.json');
const KINDS =
  'Pod|Deployment|ReplicaSet|StatefulSet|DaemonSet|Job|CronJob|Service|Ingress|Endpoints|Secret|ConfigMap|PersistentVolumeClaim|Namespace|Container|Volume|Probe';
const NAME = new RegExp(
  `^(?:${KINDS})(?:Object|Spec|Status)?$|(?:Spec|Status|Condition|Template|StatusPort)$`,
);
const DECLARATION =
  /^\s*(?:export\s+)?(?:interface\s+([A-Z][A-Za-z0-9]*)\b|type\s+([A-Z][A-Za-z0-9]*)\s*(?:<[^=]*>)?\s*=)/gm;
/** Berth's own types whose names look like Kubernetes ones: not Kubernetes shapes. */
const BERTH_OWN = new Set([
  'KeyStatus', // queue/: a key's state in the work queue
  'CommitStatus', // review/: a forge's commit status
  'SourceStatus', // source/: a source watcher's state
  'HealthStatus', // health/: Argo CD's health verdicts
  'TimedCondition', // controllers/conditions.ts: the fields the transition rule reads
]);
const CAST = /\.(spec|status)\s+as\b/g;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (full === path.join(ROOT, 'src', 'manifests', 'generated')) continue;
      yield* files(full);
    } else if (entry.name.endsWith('.ts')) yield full;
  }
}

const found = { types: [], casts: {} };
for (const file of files(path.join(ROOT, 'src'))) {
  const rel = path.relative(ROOT, file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(DECLARATION)) {
    const name = m[1] ?? m[2];
    if (NAME.test(name) && !BERTH_OWN.has(name)) found.types.push(`${rel}:${name}`);
  }
  const casts = [...text.matchAll(CAST)].length;
  if (casts > 0) found.casts[rel] = casts;
}
found.types.sort();

const baseline = JSON.parse(readFileSync(BASELINE, 'utf8'));
const reasonsOf = baseline.reasons ?? {};
if (process.argv.includes('--update')) {
  const keep = new Set([...found.types, ...Object.keys(found.casts)]);
  found.reasons = Object.fromEntries(Object.entries(reasonsOf).filter(([k]) => keep.has(k)));
  writeFileSync(BASELINE, `${JSON.stringify(found, null, 2)}\n`);
  console.log(
    `k8s types: baseline written (${found.types.length} types, casts in ${Object.keys(found.casts).length} files)`,
  );
  process.exit(0);
}
const allowed = new Set(baseline.types);
const problems = [];
for (const entry of [...baseline.types, ...Object.keys(baseline.casts)])
  if (!reasonsOf[entry])
    problems.push(`${entry}: in scripts/k8s-types-baseline.json without a reason in "reasons"`);
for (const t of found.types) {
  if (!allowed.has(t)) {
    problems.push(
      `${t}: a Kubernetes type declared outside src/manifests/generated; use the generated one`,
    );
  }
}
for (const [file, n] of Object.entries(found.casts)) {
  const before = baseline.casts[file] ?? 0;
  if (n > before)
    problems.push(
      `${file}: ${n} \`.spec as\`/\`.status as\` casts (was ${before}); type the object once instead`,
    );
}
if (problems.length > 0) {
  for (const p of problems) console.error(p);
  process.exit(1);
}
const left = found.types.length;
const casts = Object.values(found.casts).reduce((a, b) => a + b, 0);
console.log(
  `k8s types: no new local Kubernetes type or cast (${left} local types and ${casts} casts left to remove)`,
);
