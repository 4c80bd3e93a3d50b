// Benchmark: validate a generated 1,000-object repository (250 apps: ConfigMap, Secret,
// Deployment, Service, one file each) and compare with parsing the same files with the yaml
// library alone (the baseline, measured in the same run). Target: >= 5,000 objects/s.
//   npm run bench:validate
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { validateRevision } from '../src/manifests/index.js';
import { generateRepo } from './generated-repo.js';

const APPS = 250;
const ROUNDS = 5;

const files = generateRepo(APPS);
const objects = APPS * 4 + 1;

function baseline(): number {
  let n = 0;
  for (const f of files) {
    for (const doc of parseAllDocuments(new TextDecoder().decode(f.content))) {
      if (doc.toJS()) n++;
    }
  }
  return n;
}

function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
}

const cold = timed(() => {
  const r = validateRevision(files);
  if (!r.valid || r.objects !== objects)
    throw new Error(`benchmark repository is not valid: ${JSON.stringify(r.problems.slice(0, 3))}`);
});
let berth = Number.POSITIVE_INFINITY;
let parse = Number.POSITIVE_INFINITY;
for (let round = 0; round < ROUNDS; round++) {
  parse = Math.min(
    parse,
    timed(() => baseline()),
  );
  berth = Math.min(
    berth,
    timed(() => validateRevision(files)),
  );
}
// The same files forced through the positioned path (an `&` makes the loader assume anchors).
const slowFiles = files.map((f) => ({
  ...f,
  content: new TextEncoder().encode(`# &positioned\n${new TextDecoder().decode(f.content)}`),
}));
let slow = Number.POSITIVE_INFINITY;
for (let round = 0; round < ROUNDS; round++)
  slow = Math.min(
    slow,
    timed(() => validateRevision(slowFiles)),
  );
const rate = objects / berth;
console.log(`objects: ${objects} in ${files.length} files`);
console.log(
  `yaml parse only (baseline): ${(parse * 1000).toFixed(1)} ms, ${Math.round(objects / parse)} objects/s`,
);
console.log(
  `berth validate (warm, best of ${ROUNDS}): ${(berth * 1000).toFixed(1)} ms, ${Math.round(rate)} objects/s`,
);
console.log(
  `berth validate, positioned path only (files with anchors): ${(slow * 1000).toFixed(1)} ms, ${Math.round(objects / slow)} objects/s`,
);
console.log(
  `berth validate (cold, first run incl. schema compile): ${(cold * 1000).toFixed(1)} ms, ${Math.round(objects / cold)} objects/s`,
);
console.log(
  `ratio berth/parse time: ${(berth / parse).toFixed(2)}x; target >= 5000 objects/s: ${rate >= 5000 ? 'met' : 'NOT met'}`,
);
