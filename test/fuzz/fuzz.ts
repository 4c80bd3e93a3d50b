// `npm run fuzz [-- --cases N --seed S]`: mutates the corpus, the examples and the hostile
// fixtures and validates each case in-process (a worker thread with a memory limit), under a
// watchdog that ends a case past 5 s as a hang. Exit 1 on any crash, hang or unpositioned
// problem; failing cases are written to .fuzz/ to replay.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { caseText, seedFiles } from './mutate.js';

const args = process.argv.slice(2);
const opt = (name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const cases = opt('cases', 10_000);
const seed = opt('seed', 1);
const HANG_MS = 5_000;
const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '../../.fuzz');
const TSX = pathToFileURL(path.resolve(here, '../../node_modules/tsx/dist/esm/api/index.mjs')).href;
const WORKER = pathToFileURL(path.join(here, 'fuzz-worker.ts')).href;

let crashes = 0;
let hangs = 0;
let unpositioned = 0;
let slowest = 0;
const started = Date.now();
const save = (kind: string, i: number, text: string, note: string) => {
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, `${kind}-${seed}-${i}.yaml`), text);
  console.error(`${kind} at case ${i} (seed ${seed}): ${note.split('\n')[0]}`);
};

async function runFrom(from: number): Promise<number> {
  return new Promise((resolve) => {
    // The worker is TypeScript: it loads through tsx's loader (as test/harness does).
    const worker = new Worker(
      `import(${JSON.stringify(TSX)}).then(({ tsImport }) => tsImport(${JSON.stringify(WORKER)}, ${JSON.stringify(WORKER)}))`,
      {
        eval: true,
        workerData: { seed, from, to: cases },
        resourceLimits: { maxOldGenerationSizeMb: 1024 },
      },
    );
    let seen = false;
    let current = from;
    let timer: NodeJS.Timeout | undefined;
    worker.on(
      'message',
      (m: {
        type: string;
        i: number;
        ms?: number;
        crashed?: string;
        unpositioned?: unknown[];
        text?: string;
      }) => {
        current = m.i;
        seen = true;
        clearTimeout(timer);
        if (m.type === 'start') {
          timer = setTimeout(() => {
            hangs++;
            save('hang', m.i, caseText(seedFiles(), seed, m.i), `more than ${HANG_MS} ms`);
            void worker.terminate().then(() => resolve(m.i + 1));
          }, HANG_MS);
          return;
        }
        slowest = Math.max(slowest, m.ms ?? 0);
        if (m.crashed) {
          crashes++;
          save('crash', m.i, m.text ?? '', m.crashed);
        } else if (m.unpositioned?.length) {
          unpositioned++;
          save('unpositioned', m.i, m.text ?? '', JSON.stringify(m.unpositioned[0]));
        }
        if ((m.i + 1) % 1000 === 0) console.error(`${m.i + 1}/${cases} cases`);
      },
    );
    worker.on('error', (err) => {
      clearTimeout(timer);
      if (!seen) {
        console.error(`the fuzz worker did not start: ${String(err)}`);
        process.exit(2);
      }
      crashes++;
      save('crash', current, caseText(seedFiles(), seed, current), String(err));
      resolve(current + 1);
    });
    worker.on('exit', () => {
      clearTimeout(timer);
      resolve(cases);
    });
  });
}

let next = 0;
while (next < cases) next = await runFrom(next);
const seconds = (Date.now() - started) / 1000;
console.log(
  JSON.stringify({
    cases,
    seed,
    seeds: seedFiles().length,
    crashes,
    hangs,
    unpositioned,
    slowestMs: Math.round(slowest),
    seconds,
  }),
);
process.exitCode = crashes + hangs + unpositioned > 0 ? 1 : 0;
