// Benchmark: the part of a no-op resync Berth has today — read a 1,001-object revision,
// validate it, and plan it against an inventory that already matches (nothing to do) — against
// parsing the same files with the yaml library alone, measured in the same run. Issue targets
// for the whole no-op resync: < 1 s and < 200 MiB peak RSS. (The reconcile loop will add
// listing what runs on Docker; this measures everything before that.)
//   npm run bench:noop-resync
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { validateRevision } from '../src/manifests/index.js';
import { makePlan } from '../src/plan/index.js';
import { planObjects } from '../src/review/index.js';
import { generateRepo } from './generated-repo.js';

const ROUNDS = 5;
const files = generateRepo(250);
const decoder = new TextDecoder();

function best(fn: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const baseline = best(() => {
  for (const f of files) for (const d of parseAllDocuments(decoder.decode(f.content))) d.toJS();
});

// What the source applied last time: the same revision (a no-op resync).
const first = validateRevision(files);
if (!first.valid) throw new Error('the generated repository must be valid');
const inventory = planObjects(first.state);

let changes = -1;
const resync = best(() => {
  const result = validateRevision(files);
  const plan = makePlan({ desired: planObjects(result.state), live: inventory });
  changes = plan.summary.create + plan.summary.update + plan.summary.delete;
});
const peakMiB = process.resourceUsage().maxRSS / 1024;

console.log(
  `objects: ${first.state.objects.size} in ${files.length} files; changes found: ${changes}`,
);
console.log(`yaml parse only (baseline): ${baseline.toFixed(1)} ms`);
console.log(
  `validate + plan against a matching inventory (best of ${ROUNDS}): ${resync.toFixed(1)} ms`,
);
console.log(`ratio to the baseline: ${(resync / baseline).toFixed(2)}x`);
console.log(`peak RSS of the process: ${peakMiB.toFixed(0)} MiB`);
console.log(
  `targets (whole no-op resync): < 1000 ms ${resync < 1000 ? 'met' : 'MISSED'}, < 200 MiB ${peakMiB < 200 ? 'met' : 'MISSED'}`,
);
