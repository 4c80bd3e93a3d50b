import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/manifests/load-manifests.js';
import { nestingDepthExcess } from '../../../src/manifests/nesting-depth.js';
import { RenderError, renderKustomization } from '../../../src/manifests/render/index.js';

const block = (n: number) =>
  Array.from({ length: n }, (_, i) => `${' '.repeat(i * 2)}k:`).join('\n');

describe('nestingDepthExcess', () => {
  it.each([
    ['flow sequences', `${'['.repeat(1000)}${']'.repeat(1000)}`, { line: 1, column: 100 }],
    ['flow mappings', `a: ${'{a: '.repeat(1000)}1${'}'.repeat(1000)}`, { line: 1, column: 400 }],
    ['block mappings', block(150), { line: 101, column: 201 }],
    ['compact sequences', `${'- '.repeat(200)}x`, { line: 1, column: 201 }],
    ['JSON', `{"a":${'['.repeat(200)}${']'.repeat(200)}}`, { line: 1, column: 104 }],
  ])('finds %s nested too deep, with the position', (_, text, at) => {
    expect(nestingDepthExcess(text, 100)).toMatchObject(at);
  });

  it.each([
    ['a block scalar', `data:\n  a: |\n    ${'['.repeat(300)}\n  b: x`],
    ['quoted scalars', `a: "${'['.repeat(300)}"\nb: '${'{'.repeat(300)}'''`],
    ['a plain scalar', `command: echo ${'['.repeat(300)}`],
    ['a comment', `a: 1 # ${'['.repeat(300)}`],
    ['100 levels', block(99)],
  ])('does not count %s', (_, text) => {
    expect(nestingDepthExcess(text, 100)).toBeUndefined();
  });

  it('refuses the 4 KB file of two flow sequences nested 1,000 deep, positioned', () => {
    const file = path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      '../../fixtures/hostile/deep-nesting.yaml',
    );
    const r = loadManifests([{ path: 'deep.yaml', content: readFileSync(file), mode: 'file' }]);
    expect(r.problems).toMatchObject([
      {
        file: 'deep.yaml',
        line: 8,
        column: 103,
        code: 'limit',
        message: expect.stringContaining('nests deeper than the limit of 100 levels'),
      },
    ]);
  });

  it('refuses a 1 MiB nested file without parsing it: a positioned problem, no crash', () => {
    const text = `${'['.repeat(512 * 1024)}${']'.repeat(512 * 1024)}`;
    const r = loadManifests([{ path: 'big.yaml', content: Buffer.from(text), mode: 'file' }]);
    expect(r.problems).toMatchObject([
      { file: 'big.yaml', line: 1, column: 100, code: 'limit', severity: 'error' },
    ]);
  });

  it('refuses a nested file a kustomization brings in, positioned, before any parser recursion', () => {
    const file = path.join(
      path.dirname(fileURLToPath(import.meta.url)),
      '../../fixtures/hostile/deep-nesting.yaml',
    );
    const deep = readFileSync(file, 'utf8');
    const built = (files: Record<string, string>) => {
      try {
        renderKustomization(
          Object.entries(files).map(([p, text]) => ({
            path: p,
            content: Buffer.from(text),
            mode: 'file' as const,
          })),
          'app',
        );
      } catch (e) {
        return e;
      }
      throw new Error('built');
    };
    // A resource, a patch, and the kustomization itself: each parsed from the repository.
    for (const files of <Array<Record<string, string>>>[
      { 'app/kustomization.yaml': 'resources: [deep.yaml]\n', 'app/deep.yaml': deep },
      {
        'app/kustomization.yaml': 'resources: [cm.yaml]\npatches: [{path: deep.yaml}]\n',
        'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
        'app/deep.yaml': deep,
      },
      { 'app/kustomization.yaml': `resources: ${'['.repeat(300)}${']'.repeat(300)}\n` },
    ]) {
      const err = built(files);
      expect(err).toBeInstanceOf(RenderError);
      expect((err as Error).message).toContain('nests deeper than the limit of 100 levels');
      expect((err as Error).message).not.toMatch(/call stack/);
      expect((err as RenderError).place).toMatchObject({ line: expect.any(Number) });
    }
  });
});
