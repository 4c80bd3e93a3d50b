import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Problem, validateRevision } from '../../src/manifests/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The seed files: the third-party corpus (`$BERTH_CORPUS`, else `../shared/corpus` beside the
 * clone as in CI, else /work/shared/corpus), the example repository and the hostile fixtures.
 */
export function seedFiles(): Array<{ name: string; text: string }> {
  const corpus = [
    process.env.BERTH_CORPUS,
    path.resolve(repoRoot, '../shared/corpus'),
    '/work/shared/corpus',
  ].find((d): d is string => d !== undefined && existsSync(path.join(d, 'manifests')));
  const roots = [
    ...(corpus ? [path.join(corpus, 'manifests')] : []),
    path.join(repoRoot, 'examples-repo'),
    path.join(repoRoot, 'test/fixtures/hostile'),
  ];
  const out: Array<{ name: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/.test(entry))
        out.push({ name: path.relative(repoRoot, full), text: readFileSync(full, 'utf8') });
    }
  };
  for (const root of roots) if (existsSync(root)) walk(root);
  return out;
}

/** A small seeded PRNG (mulberry32): the same seed gives the same cases. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
  '[',
  ']',
  '{',
  '}',
  ':',
  ': ',
  '- ',
  '? ',
  ',',
  '"',
  "'",
  '&a ',
  '*a',
  '!!str ',
  '!!binary ',
  '|',
  '>-',
  '#',
  '\n',
  '\t',
  ' ',
  '\u0000',
  '\u001b[2J',
  '\r',
  '---\n',
  '...\n',
  '%YAML 1.1\n',
  '<<: *a\n',
  '~',
  'null',
  '0x1F',
  '1e400',
  '-.5',
  '0b11',
  '\uFEFF',
  '\u202e',
  '..',
  '../',
  'kind: List\nitems:\n',
  'apiVersion: v1\nkind: Secret\n',
];

/** One mutation of `text` (or a splice with `other`), chosen by `rnd`. */
export function mutate(text: string, other: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const len = Math.floor(rnd() * 64);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)] as T;
  switch (Math.floor(rnd() * 10)) {
    case 0: // flip a character
      return `${text.slice(0, at)}${String.fromCharCode(Math.floor(rnd() * 128))}${text.slice(at + 1)}`;
    case 1: // insert YAML syntax
      return `${text.slice(0, at)}${pick(TOKENS)}${text.slice(at)}`;
    case 2: // delete a slice
      return `${text.slice(0, at)}${text.slice(at + len)}`;
    case 3: // duplicate a slice
      return `${text.slice(0, at + len)}${text.slice(at, at + len)}${text.slice(at + len)}`;
    case 4: {
      // nest: deep flow or block nesting around a point
      const depth = Math.floor(rnd() * 300);
      return rnd() < 0.5
        ? `${text.slice(0, at)}${'['.repeat(depth)}${']'.repeat(depth)}${text.slice(at)}`
        : `${text.slice(0, at)}\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')}\n${text.slice(at)}`;
    }
    case 5: // splice with another seed
      return `${text.slice(0, at)}${other.slice(Math.floor(rnd() * other.length))}`;
    case 6: // truncate
      return text.slice(0, at);
    case 7: // re-indent a line
      return text.replace(
        /\n( *)/,
        (_, s: string) => `\n${s}${' '.repeat(1 + Math.floor(rnd() * 8))}`,
      );
    case 8: {
      // alias flood: an anchor (often without scalars) and up to 3,000 aliases of it
      const anchor = pick(['[]', '{}', '[[], {}]', 'x', '{a: [1, 2]}']);
      const n = Math.floor(rnd() * 3_000);
      return `${text.slice(0, at)}&z ${anchor}\n- [${Array.from({ length: n }, () => '*z').join(', ')}]\n${text.slice(at)}`;
    }
    default: // repeat a line many times
      return `${text.slice(0, at)}${`${text.slice(at, at + len)}\n`.repeat(Math.floor(rnd() * 200))}${text.slice(at)}`;
  }
}

/** What one case gave: a crash (an exception), or problems none of which may lack a position. */
export interface CaseResult {
  crashed?: string;
  unpositioned: Problem[];
  ms: number;
}

/**
 * Validates one mutated file as a revision, as `berth validate` would: as a plain manifest, or
 * (`kustomize`) as the resource of a kustomization, which parses it on its own path.
 */
export function runCase(text: string, kustomize = false): CaseResult {
  const started = performance.now();
  const file = (path: string, content: string) => ({
    path,
    content: Buffer.from(content),
    mode: 'file' as const,
  });
  try {
    const r = validateRevision(
      kustomize
        ? [file('kustomization.yaml', 'resources: [fuzz.yaml]\n'), file('fuzz.yaml', text)]
        : [file('fuzz.yaml', text)],
    );
    const unpositioned = r.problems.filter(
      (p) => !p.file || !(p.line >= 1) || !(p.column >= 1) || p.message === '',
    );
    return { unpositioned, ms: performance.now() - started };
  } catch (err) {
    return {
      crashed: err instanceof Error ? (err.stack ?? err.message) : String(err),
      unpositioned: [],
      ms: performance.now() - started,
    };
  }
}

/** The `i`-th case of a run with `seed`: 1 to 4 mutations of a seed file. */
export function caseText(seeds: ReadonlyArray<{ text: string }>, seed: number, i: number): string {
  const rnd = random(seed * 1_000_003 + i);
  let text = (seeds[Math.floor(rnd() * seeds.length)] as { text: string }).text;
  const other = (seeds[Math.floor(rnd() * seeds.length)] as { text: string }).text;
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) text = mutate(text, other, rnd);
  return text;
}
