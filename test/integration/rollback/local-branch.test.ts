import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { advanceLocalBranch, RollbackError } from '../../../src/rollback/index.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { useTempDir } from '../../harness/tmp.js';

/** A repository at `old` whose branch Berth can fast-forward to `next` (200 files changed). */
async function twoCommits(dir: string): Promise<{ repo: string; old: string; next: string }> {
  const repo = await initRepo(dir);
  const commitAll = async (v: string) => {
    for (let i = 0; i < 200; i++) writeFileSync(path.join(repo, `f${i}.yaml`), `v: ${v}\n`);
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', v);
    return git(repo, 'rev-parse', 'HEAD');
  };
  const old = await commitAll('old');
  const next = await commitAll('new');
  await git(repo, 'reset', '-q', '--hard', old);
  return { repo, old, next };
}

describe('advancing a checked-out local branch', () => {
  const tmp = useTempDir();

  it('git running alongside never sees a broken ref, nor the new commit before the tree matches it', async () => {
    const { repo, old, next } = await twoCommits(path.join(tmp, 'a'));
    const gitdir = path.join(repo, '.git');
    const seen: string[] = [];
    let done = false;
    // What an editor or a shell prompt does: `git status` without taking optional locks.
    const watcher = (async () => {
      while (!done) {
        const out = await git(repo, '--no-optional-locks', 'status', '--porcelain=v2', '--branch');
        const oid = /^# branch\.oid (\w+)$/m.exec(out)?.[1];
        const changed = out.split('\n').filter((l) => !l.startsWith('#') && l !== '');
        seen.push(`${oid === next ? 'next' : oid === old ? 'old' : oid}:${changed.length}`);
      }
    })();
    await advanceLocalBranch({ gitdir, branch: 'main', expected: old, commit: next });
    done = true;
    await watcher;
    expect(seen.length).toBeGreaterThan(0);
    // With the new commit, never a changed file (a failed git command would have thrown above).
    expect(seen.filter((s) => s.startsWith('next:') && s !== 'next:0')).toEqual([]);
    expect(await git(repo, 'rev-parse', 'main')).toBe(next);
    expect(await git(repo, 'status', '--porcelain')).toBe('');
    expect(await git(repo, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(readFileSync(path.join(repo, 'f7.yaml'), 'utf8')).toBe('v: new\n');
    expect(existsSync(path.join(gitdir, 'index.lock'))).toBe(false);
    expect(existsSync(path.join(gitdir, 'refs/heads/main.lock'))).toBe(false);
  });

  it('waits its turn while git holds the index lock, changing nothing', async () => {
    const { repo, old, next } = await twoCommits(path.join(tmp, 'b'));
    const gitdir = path.join(repo, '.git');
    writeFileSync(path.join(gitdir, 'index.lock'), '');
    const err = await advanceLocalBranch({ gitdir, branch: 'main', expected: old, commit: next })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RollbackError);
    expect(err).toMatchObject({ code: 'RollbackBranchMoved' });
    expect((err as Error).message).toBe('main: another git process holds index.lock; trying again');
    expect(await git(repo, 'rev-parse', 'main')).toBe(old);
    expect(readFileSync(path.join(repo, 'f7.yaml'), 'utf8')).toBe('v: old\n');
    // git's lock is its own: Berth leaves it where it was.
    expect(existsSync(path.join(gitdir, 'index.lock'))).toBe(true);
    expect(existsSync(path.join(gitdir, 'refs/heads/main.lock'))).toBe(false);
  });

  it('a branch that moved under the lock is not touched, and the locks are released', async () => {
    const { repo, old, next } = await twoCommits(path.join(tmp, 'c'));
    const gitdir = path.join(repo, '.git');
    const moved = await commitFiles(repo, { 'x.yaml': 'x: 1\n' }, 'moved');
    const err = await advanceLocalBranch({ gitdir, branch: 'main', expected: old, commit: next })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RollbackBranchMoved' });
    expect(await git(repo, 'rev-parse', 'main')).toBe(moved);
    expect(await git(repo, 'status', '--porcelain')).toBe('');
    expect(existsSync(path.join(gitdir, 'index.lock'))).toBe(false);
    expect(existsSync(path.join(gitdir, 'refs/heads/main.lock'))).toBe(false);
  });
});
