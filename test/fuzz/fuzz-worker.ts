import { parentPort, workerData } from 'node:worker_threads';
import { caseText, runCase, seedFiles } from './mutate.js';

// Runs cases [from, to) and reports each before and after, so the watchdog knows which hangs.
const { seed, from, to } = workerData as { seed: number; from: number; to: number };
const seeds = seedFiles();
for (let i = from; i < to; i++) {
  const text = caseText(seeds, seed, i);
  parentPort?.postMessage({ type: 'start', i });
  const result = runCase(text, i % 2 === 1); // odd cases go through a kustomization
  parentPort?.postMessage({
    type: 'done',
    i,
    ...result,
    text: result.crashed || result.unpositioned.length ? text : undefined,
  });
}
