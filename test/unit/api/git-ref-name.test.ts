import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { MAX_REF_LENGTH, refNameProblem } from '../../../src/util/git-ref-name.js';

// Cases of git's own t1402-check-ref-format, plus traversal attempts; each is also put to
// `git check-ref-format --allow-onelevel`, so the table cannot drift from git.
const CASES: Array<[string, boolean]> = [
  ['main', true],
  ['heads/foo', true],
  ['feature/a-b_c.d', true],
  ['v1.2.3', true],
  ['foo/bar/baz', true],
  ['a'.repeat(40), true],
  ['3f2a9c1', true],
  ['foo@bar', true],
  ['', false],
  ['../../tmp/x', false],
  ['a/../b', false],
  ['heads/foo/', false],
  ['/heads/foo', false],
  ['heads//foo', false],
  ['./foo', false],
  ['foo/.bar', false],
  ['.foo', false],
  ['foo.lock', false],
  ['foo/bar.lock/baz', false],
  ['foo.', false],
  ['foo..bar', false],
  ['@', false],
  ['foo@{1}', false],
  ['foo bar', false],
  ['foo~1', false],
  ['HEAD^', false],
  ['foo:bar', false],
  ['foo?', false],
  ['foo*', false],
  ['foo[1]', false],
  ['foo\\bar', false],
  ['foo\u0001bar', false],
  ['foo\u007fbar', false],
  ['foo\nbar', false],
];

describe('refNameProblem: git ref names and SHAs, as git check-ref-format', () => {
  it.each(CASES)('%j valid=%s, as git says', (ref, valid) => {
    expect(refNameProblem(ref) === undefined).toBe(valid);
    if (ref === '' || ref.includes('\n')) return;
    const git = spawnSync('git', ['check-ref-format', '--allow-onelevel', ref]);
    expect(git.status === 0).toBe(valid);
  });

  it('names the reason', () => {
    expect(refNameProblem('../../tmp/x')).toBe('the ref contains ".."');
    expect(refNameProblem('a/.b')).toBe('a path component of the ref starts with "."');
    expect(refNameProblem('a..b')).toBe('the ref contains ".."');
    expect(refNameProblem('x'.repeat(MAX_REF_LENGTH + 1))).toBe(
      `the ref is longer than ${MAX_REF_LENGTH} characters`,
    );
  });

  it('refuses 15,000 characters of the worst patterns at once (one pass, no regex backtracking)', () => {
    for (const unit of ['a', '~', '^', 'a~', '/', 'a/']) {
      expect(refNameProblem(unit.repeat(15_000))).toBeDefined();
      // The length cap is not what saves it: the scan alone stays linear.
      expect(refNameProblem(`${'a/'.repeat(100)}b`)).toBeUndefined();
    }
  });
});
