import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRef } from '../../../src/source/read-ref.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('readRef', () => {
  const gitdir = mkdtempSync(path.join(os.tmpdir(), 'berth-readref-'));
  afterAll(() => rmSync(gitdir, { recursive: true, force: true }));
  mkdirSync(path.join(gitdir, 'refs', 'heads', 'team'), { recursive: true });
  writeFileSync(
    path.join(gitdir, 'packed-refs'),
    `# pack-refs with: peeled fully-peeled sorted\n${A} refs/heads/main\n${B} refs/tags/v1\n^${C}\n${C} refs/heads/team/x\n`,
  );
  writeFileSync(path.join(gitdir, 'refs', 'heads', 'team', 'x'), `${B}\n`);
  writeFileSync(path.join(gitdir, 'refs', 'heads', 'alias'), 'ref: refs/heads/main\n');

  it.each([
    ['refs/heads/main', A, 'packed only'],
    ['refs/tags/v1', B, 'packed tag: the tag object, not the peeled line'],
    ['refs/heads/team/x', B, 'the loose ref wins over packed-refs, as in git'],
    ['refs/heads/alias', A, 'a symbolic ref is followed'],
    ['refs/heads/missing', undefined, 'absent'],
  ])('%s is %s (%s)', async (ref, expected, _why) => {
    expect(await readRef(gitdir, ref)).toBe(expected);
  });
});
