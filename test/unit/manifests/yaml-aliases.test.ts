import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../../src/manifests/load-manifests.js';
import { RenderError, renderKustomization } from '../../../src/manifests/render/index.js';

// Found auditing issue #15: aliases of an anchor that holds no scalar (`&x []`) pass the
// `yaml` library's alias-count guard (it counts scalars), and each one is resolved by a scan of
// the aliases before it: 300 KB of `*x` kept `berth validate` busy for 6 minutes (quadratic).
// Aliases are now bounded per document before the parser resolves any, with a position.
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';
const many = (n: number, anchor = '[]') =>
  `${CM}data:\n  x: &x ${anchor}\n  y: [${Array.from({ length: n }, () => '*x').join(', ')}]\n`;
const file = (path: string, text: string) => ({
  path,
  content: Buffer.from(text),
  mode: 'file' as const,
});

describe('YAML aliases', () => {
  it('refuses a document with more than 1,000 aliases, at the first one past the limit', () => {
    const r = loadManifests([file('many.yaml', many(5_000))]);
    expect(r.objects).toEqual([]);
    expect(r.problems).toMatchObject([
      {
        file: 'many.yaml',
        line: 6,
        column: 7 + 4 * 1_000, // the 1,001st '*x'
        code: 'limit',
        severity: 'error',
        message: expect.stringContaining('more than 1000 aliases'),
      },
    ]);
  });

  it('refuses aliases that expand to more than 100,000 nodes', () => {
    const wide = `[${Array.from({ length: 1_000 }, () => '[]').join(', ')}]`;
    const r = loadManifests([file('wide.yaml', many(200, wide))]);
    expect(r.problems).toMatchObject([
      { file: 'wide.yaml', code: 'limit', message: expect.stringContaining('100000 nodes') },
    ]);
  });

  it('reads a document with a few aliases as before', () => {
    const r = loadManifests([file('few.yaml', many(50, '{a: 1}'))]);
    expect(r.problems).toEqual([]);
    expect(r.objects).toHaveLength(1);
  });

  it('refuses the same through a kustomization', () => {
    let err: unknown;
    try {
      renderKustomization(
        [
          file('app/kustomization.yaml', 'resources: [many.yaml]\n'),
          file('app/many.yaml', many(5_000)),
        ],
        'app',
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RenderError);
    expect((err as RenderError).message).toContain('more than 1000 aliases');
    expect((err as RenderError).place).toMatchObject({ file: 'app/many.yaml', line: 6 });
  });
});
