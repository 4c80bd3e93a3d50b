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
    // What a person's tools do meanwhile: read the branch, then the files; and `git status`
    // without optional locks (it must never fail: no torn index, no broken HEAD). A single
    // `git status` reads the index before HEAD, as it does during `git merge --ff-only`, so
    // the order is checked on the ref and the files (Berth writes the files first).
    const seen: string[] = [];
    let done = false;
    const watcher = (async () => {
      while (!done) {
        const ref = await git(repo, 'rev-parse', 'main');
        const stale = Array.from({ length: 200 }, (_, i) => i).filter(
          (i) => readFileSync(path.join(repo, `f${i}.yaml`), 'utf8') !== 'v: new\n',
        ).length;
        await git(repo, '--no-optional-locks', 'status', '--porcelain=v2', '--branch');
        seen.push(`${ref === next ? 'next' : ref === old ? 'old' : ref}:${stale}`);
      }
    })();
    await advanceLocalBranch({ gitdir, branch: 'main', expected: old, commit: next });
    done = true;
    await watcher;
    expect(seen.length).toBeGreaterThan(0);
    // Once the branch names the new commit, every file already has its content.
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
