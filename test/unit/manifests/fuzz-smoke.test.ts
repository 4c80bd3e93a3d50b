import { describe, expect, it } from 'vitest';
import { caseText, runCase, seedFiles } from '../../fuzz/mutate.js';

// The smoke run of `npm run fuzz` (test/fuzz): 500 mutations of the corpus, the examples and the
// hostile fixtures, validated in-process (half of them as the resource of a kustomization). No case may throw, none may take more than 5 s (a
// hang: the full run's watchdog threshold, not a performance figure), every problem positioned.
describe('fuzz smoke run', () => {
  it('500 mutated manifests: 0 crashes, 0 hangs over 5 s, every problem positioned', () => {
    const seeds = seedFiles();
    expect(seeds.length).toBeGreaterThan(5);
    const failures: string[] = [];
    for (let i = 0; i < 500; i++) {
      const text = caseText(seeds, 7, i);
      const r = runCase(text, i % 2 === 1); // odd cases go through a kustomization
      if (r.crashed) failures.push(`case ${i}: crash ${r.crashed.split('\n')[0]}`);
      if (r.unpositioned.length)
        failures.push(`case ${i}: unpositioned ${JSON.stringify(r.unpositioned[0])}`);
      if (r.ms > 5_000) failures.push(`case ${i}: hang (${Math.round(r.ms)} ms)`);
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
