import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { readDirectory } from '../../../../src/manifests/read-directory.js';
import { formatResources, renderKustomization } from '../../../../src/manifests/render/index.js';

// The kustomize conformance corpus (fixtures extracted from kustomize's api/krusty tests; see
// its README): locating it, running one fixture, and the feature areas each fixture touches.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** The corpus directory, or undefined when this checkout has none next to it. */
export function kustomizeCorpus(): string | undefined {
  for (const rel of ['../shared/corpus/kustomize', '../../shared/corpus/kustomize']) {
    const dir = path.resolve(repoRoot, rel);
    if (existsSync(path.join(dir, 'README.md'))) return dir;
  }
  return undefined;
}

/** Every fixture directory (`<stem>/<Test>`), sorted. */
export function fixtures(corpus: string): string[] {
  const out: string[] = [];
  for (const stem of readdirSync(corpus, { withFileTypes: true })) {
    if (!stem.isDirectory()) continue;
    for (const t of readdirSync(path.join(corpus, stem.name), { withFileTypes: true }))
      if (t.isDirectory()) out.push(`${stem.name}/${t.name}`);
  }
  return out.sort();
}

/** What running a fixture gave. */
export interface FixtureResult {
  ok: boolean;
  /** Why it failed (diff summary or unexpected error). */
  detail: string;
  /** Error fixtures: whether kustomize's wording was found in the message. */
  wordingMatched?: boolean;
}

/** Builds a fixture with `--reorder none` and compares with its expectation. */
export async function runFixture(corpus: string, fixture: string): Promise<FixtureResult> {
  const dir = path.join(corpus, fixture);
  const spec = parse(readFileSync(path.join(dir, 'case.yaml'), 'utf8')) as {
    run: string;
    expected?: string;
    error?: string | boolean;
  };
  const files = await readDirectory(path.join(dir, 'input'), { maxFileBytes: 4 * 1024 * 1024 });
  const run = spec.run === '.' ? '' : spec.run.replace(/^\/+|\/+$/g, '');
  let output: string | undefined;
  let error: Error | undefined;
  try {
    output = formatResources(renderKustomization(files, run, { reorder: 'none' }));
  } catch (e) {
    error = e as Error;
  }
  if (spec.error !== undefined) {
    if (!error) return { ok: false, detail: 'built, but the fixture expects an error' };
    const wanted = typeof spec.error === 'string' ? spec.error : '';
    return {
      ok: true,
      detail: error.message,
      wordingMatched: wanted === '' || error.message.includes(wanted),
    };
  }
  if (error) return { ok: false, detail: `error: ${error.message.split('\n')[0]}` };
  const expected = readFileSync(path.join(dir, spec.expected ?? 'expected.yaml'), 'utf8');
  if (output === expected) return { ok: true, detail: '' };
  const a = (output ?? '').split('\n');
  const b = expected.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  return {
    ok: false,
    detail: `line ${i + 1}: got ${JSON.stringify(a[i])}, want ${JSON.stringify(b[i])}`,
  };
}

const AREAS: Array<[string, string[]]> = [
  ['resources / bases', ['resources', 'bases']],
  ['namePrefix / nameSuffix', ['namePrefix', 'nameSuffix', 'nameprefix']],
  ['namespace', ['namespace']],
  ['labels / commonLabels', ['labels', 'commonLabels']],
  ['commonAnnotations', ['commonAnnotations']],
  ['images', ['images']],
  ['replicas', ['replicas']],
  ['configMapGenerator / secretGenerator', ['configMapGenerator', 'secretGenerator']],
  ['generatorOptions', ['generatorOptions']],
  ['patchesStrategicMerge', ['patchesStrategicMerge']],
  ['patchesJson6902', ['patchesJson6902']],
  ['patches', ['patches']],
  ['components', ['components']],
  ['vars', ['vars']],
  ['replacements', ['replacements']],
  ['crds / openapi / configurations', ['crds', 'openapi', 'configurations']],
  ['transformers / generators / validators', ['transformers', 'generators', 'validators']],
  ['sortOptions', ['sortOptions']],
  ['buildMetadata', ['buildMetadata']],
];

/** The feature areas of a fixture: top-level fields of every kustomization file in its input. */
export function areasOf(corpus: string, fixture: string): string[] {
  const fields = new Set<string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/^(kustomization\.ya?ml|Kustomization)$/.test(e.name)) {
        for (const m of readFileSync(p, 'utf8').matchAll(/^([A-Za-z0-9]+):/gm))
          fields.add(m[1] as string);
      }
    }
  };
  walk(path.join(corpus, fixture, 'input'));
  return AREAS.filter(([, keys]) => keys.some((k) => fields.has(k))).map(([area]) => area);
}
