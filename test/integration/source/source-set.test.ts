import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileConfig } from '../../../src/config/index.js';
import { SourceSet } from '../../../src/source/index.js';
import { eventually } from '../../harness/eventually.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { useTempDir } from '../../harness/tmp.js';

describe('SourceSet', () => {
  const tmp = useTempDir();
  let set: SourceSet | undefined;
  afterAll(() => set?.stop());

  it('starts a watcher per configured source and reports each one, the broken one included', async () => {
    const a = await initRepo(path.join(tmp, 'a'));
    const shaA = await commitFiles(a, { 'x.yaml': 'a\n' }, 'a');
    const b = await initRepo(path.join(tmp, 'b'));
    await commitFiles(b, { 'x.yaml': 'b\n' }, 'b');
    const config = compileConfig({
      file: {
        apiVersion: 'berth.dev/v1alpha1',
        kind: 'BerthConfig',
        sources: [
          { name: 'a', repo: a },
          { name: 'b', repo: b, branch: 'release' },
        ],
      },
      filePath: path.join(tmp, 'berth.yaml'),
      env: {},
    });
    const seen: string[] = [];
    set = new SourceSet(config.sources, {
      stateDir: config.stateDir,
      onRevision: (rev) => seen.push(`${rev.source}@${rev.sha}`),
    });
    await set.start();
    expect(set.statuses().map((s) => [s.name, s.ready, s.lastError?.code])).toEqual([
      ['a', true, undefined],
      ['b', false, 'SourceRefNotFound'],
    ]);
    expect(seen).toEqual([`a@${shaA}`]);
    expect(set.webhookTarget('nope')).toBeUndefined();
    const shaA2 = await commitFiles(a, {}, 'a2');
    await set.webhookTarget('a')?.refresh('webhook');
    expect(set.get('a')?.status().revision?.sha).toBe(shaA2);
    await eventually(() => seen.includes(`a@${shaA2}`));
  });
});
