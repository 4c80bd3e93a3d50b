import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { areasOf, fixtures, kustomizeCorpus, runFixture } from './kustomize-corpus.js';

// Conformance against kustomize's own end-to-end tests (../shared/corpus/kustomize): every
// fixture builds byte for byte as expected (or fails when it should), except those listed in
// kustomize-skip.json with the reason. A skipped fixture that starts passing fails the test,
// so the skip list never hides progress.
const here = path.dirname(fileURLToPath(import.meta.url));
const skip = JSON.parse(readFileSync(path.join(here, 'kustomize-skip.json'), 'utf8')) as Record<
  string,
  string
>;
const corpus = kustomizeCorpus();
if (!corpus) console.warn('kustomize conformance: skipped, no corpus next to the repository');

describe.skipIf(!corpus)('kustomize conformance corpus', () => {
  const all = corpus ? fixtures(corpus) : [];

  it('has the 200 fixtures its README describes, and the skip list names only real ones', () => {
    expect(all).toHaveLength(200);
    for (const name of Object.keys(skip)) expect(all).toContain(name);
  });

  for (const fixture of all) {
    it(fixture, async () => {
      const result = await runFixture(corpus as string, fixture);
      if (skip[fixture]) {
        expect(result.ok, `${fixture} passes now: remove it from kustomize-skip.json`).toBe(false);
        return;
      }
      expect(result.detail).toBe(result.ok ? result.detail : '');
      expect(result.ok).toBe(true);
    });
  }

  it('reports the pass count per feature area', () => {
    const per = new Map<string, { pass: number; total: number }>();
    for (const fixture of all) {
      for (const area of areasOf(corpus as string, fixture)) {
        const entry = per.get(area) ?? { pass: 0, total: 0 };
        entry.total++;
        if (!skip[fixture]) entry.pass++;
        per.set(area, entry);
      }
    }
    const passed = all.filter((f) => !skip[f]).length;
    console.info(
      `kustomize conformance: ${passed}/${all.length}\n${[...per]
        .map(([area, { pass, total }]) => `  ${area}: ${pass}/${total}`)
        .join('\n')}`,
    );
    expect(passed).toBeGreaterThan(0);
  });
});
