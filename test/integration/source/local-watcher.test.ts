import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSourceWatcher, type SourceWatcher } from '../../../src/source/index.js';
import { eventually } from '../../harness/eventually.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { useTempDir } from '../../harness/tmp.js';
import { defined, recorder, sourceConfig } from './source-helpers.js';

// A local repository is read from its git objects and watched with chokidar. The safety
// re-check is set to an hour here, so every new revision below was seen through the file watch.
const HOUR = 3_600_000;

describe('local source watcher', () => {
  const tmp = useTempDir();
  const watchers: SourceWatcher[] = [];
  afterEach(async () => {
    await Promise.all(watchers.splice(0).map((w) => w.stop()));
  });
  let n = 0;
  const start = async (raw: Parameters<typeof sourceConfig>[0]) => {
    const rec = recorder();
    const watcher = createSourceWatcher({
      source: sourceConfig(raw),
      stateDir: path.join(tmp, 'state'),
      localRecheckMs: HOUR,
      retryBaseMs: HOUR,
      onRevision: rec.onRevision,
      onError: rec.onError,
    });
    watchers.push(watcher);
    await watcher.start();
    return { watcher, rec };
  };
  const newRepo = async () => {
    const dir = await initRepo(path.join(tmp, `repo${n++}`));
    const sha = await commitFiles(
      dir,
      { 'deploy/app.yaml': 'kind: ConfigMap\n', 'README.md': 'readme\n' },
      'first commit\n\nbody',
    );
    return { dir, sha };
  };

  it('resolves the tracked branch to a commit and the tree of the source path', async () => {
    const { dir, sha } = await newRepo();
    await writeFile(path.join(dir, 'deploy', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await symlink('app.yaml', path.join(dir, 'deploy', 'link.yaml'));
    await git(dir, 'add', 'deploy');
    const sha3 = await commitFiles(dir, {}, 'add script and link');
    expect(sha3).not.toBe(sha);
    const { watcher, rec } = await start({ name: 'app', repo: dir, path: 'deploy' });
    const rev = watcher.status().revision;
    expect(rev).toMatchObject({
      source: 'app',
      sha: sha3,
      ref: 'refs/heads/main',
      path: 'deploy',
      treeSha: await git(dir, 'rev-parse', 'HEAD:deploy'),
      subject: 'add script and link',
      author: 'Test Author <author@example.test>',
    });
    expect(rec.revisions.map((r) => r.trigger)).toEqual(['start']);
    const files = await watcher.readFiles(defined(rev));
    expect(files.map((f) => [f.path, f.mode, Buffer.from(f.content).toString()])).toEqual([
      ['app.yaml', 'file', 'kind: ConfigMap\n'],
      ['link.yaml', 'symlink', 'app.yaml'],
      ['run.sh', 'executable', '#!/bin/sh\n'],
    ]);
  });

  it('never deploys uncommitted edits, and sees a new commit through the file watch', async () => {
    const { dir, sha } = await newRepo();
    const { watcher, rec } = await start({ name: 'app', repo: dir, path: 'deploy' });
    expect(watcher.status().revision?.sha).toBe(sha);
    await writeFile(path.join(dir, 'deploy', 'app.yaml'), 'kind: Uncommitted\n');
    await git(dir, 'add', '-A');
    const files = await watcher.readFiles(defined(watcher.status().revision));
    expect(Buffer.from(defined(files[0]).content).toString()).toBe('kind: ConfigMap\n');
    const sha2 = await commitFiles(dir, {}, 'second');
    const seen = await eventually(() => rec.revisions.find((r) => r.revision.sha === sha2));
    expect(seen.trigger).toBe('watch');
    const files2 = await watcher.readFiles(seen.revision);
    expect(Buffer.from(defined(files2[0]).content).toString()).toBe('kind: Uncommitted\n');
  });

  it('loses no commit made right after another (chokidar throttles change events for 50 ms)', async () => {
    const { dir } = await newRepo();
    const { rec } = await start({ name: 'app', repo: dir });
    for (let i = 0; i < 8; i++) {
      const sha = await commitFiles(dir, { 'deploy/app.yaml': `n: ${i}\n` }, `rapid ${i}`);
      await eventually(() => rec.revisions.some((r) => r.revision.sha === sha), { timeout: 5000 });
    }
    const burst: string[] = [];
    for (let i = 0; i < 3; i++) burst.push(await commitFiles(dir, {}, `burst ${i}`));
    await eventually(() => rec.revisions.at(-1)?.revision.sha === burst.at(-1), { timeout: 5000 });
    expect(rec.revisions.every((r) => r.trigger === 'start' || r.trigger === 'watch')).toBe(true);
  });

  it('follows git reset, survives git gc (packed refs) and ignores other branches', async () => {
    const { dir, sha } = await newRepo();
    const sha2 = await commitFiles(dir, { 'deploy/b.yaml': 'b\n' }, 'second');
    const { watcher, rec } = await start({ name: 'app', repo: dir });
    expect(watcher.status().revision?.sha).toBe(sha2);
    await git(dir, 'reset', '--hard', '--quiet', sha);
    await eventually(() => watcher.status().revision?.sha === sha);
    await git(dir, 'gc', '--quiet', '--prune=now');
    await git(dir, 'pack-refs', '--all', '--prune');
    const sha3 = await commitFiles(dir, { 'deploy/c.yaml': 'c\n' }, 'after gc');
    await eventually(() => watcher.status().revision?.sha === sha3);
    await git(dir, 'gc', '--quiet', '--prune=now');
    await git(dir, 'checkout', '--quiet', '-b', 'feature');
    await commitFiles(dir, { 'deploy/d.yaml': 'd\n' }, 'on feature');
    await git(dir, 'checkout', '--quiet', 'main');
    const sha4 = await commitFiles(dir, { 'deploy/e.yaml': 'e\n' }, 'back on main');
    await eventually(() => watcher.status().revision?.sha === sha4);
    expect(rec.revisions.map((r) => r.revision.sha)).toEqual([sha2, sha, sha3, sha4]);
    expect(rec.errors).toEqual([]);
  });

  it('sees a push into a bare repository, and follows tags and pinned commits', async () => {
    const { dir, sha } = await newRepo();
    const bare = path.join(tmp, `bare${n++}.git`);
    await git(tmp, 'clone', '--quiet', '--bare', dir, bare);
    await git(dir, 'tag', '-a', 'v1', '-m', 'release 1');
    const branch = await start({ name: 'bare', repo: bare });
    const tagged = await start({ name: 'tagged', repo: dir, tag: 'v1' });
    const pinned = await start({ name: 'pinned', repo: dir, commit: sha });
    expect(tagged.watcher.status().revision).toMatchObject({ sha, ref: 'refs/tags/v1' });
    expect(pinned.watcher.status().revision).toMatchObject({ sha, ref: sha });
    const sha2 = await commitFiles(dir, {}, 'pushed');
    await git(dir, 'push', '--quiet', bare, 'main');
    await eventually(() => branch.watcher.status().revision?.sha === sha2);
    await git(dir, 'tag', '-f', '-a', 'v1', '-m', 'moved');
    await eventually(() => tagged.watcher.status().revision?.sha === sha2);
    expect(pinned.watcher.status().revision?.sha).toBe(sha);
  });

  it('reports a missing path or repository and keeps the last good revision', async () => {
    const { dir, sha } = await newRepo();
    const { watcher, rec } = await start({ name: 'app', repo: dir, path: 'deploy' });
    await commitFiles(dir, { 'deploy/app.yaml': null }, 'remove the path');
    await eventually(() => rec.errors.length > 0, { what: 'the missing path to be reported' });
    const status = watcher.status();
    expect(status.revision?.sha).toBe(sha);
    expect(status.ready).toBe(false);
    expect(status.lastError).toMatchObject({ code: 'SourcePathNotFound' });
    expect(status.lastError?.message).toContain('path "deploy"');
    expect(status.events.map((e) => e.reason)).toEqual(['NewRevision', 'FetchFailed']);
    expect(status.events[1]).toMatchObject({ type: 'Warning', revision: sha });
    // A commit touches several files under .git, so several looks may follow it (the debounced
    // one, the trailing re-read, one per file event on a slow host): the same failure seen again
    // is the same event, counted, never a second FetchFailed.
    await watcher.refresh('manual');
    const again = watcher.status();
    expect(again.events.map((e) => e.reason)).toEqual(['NewRevision', 'FetchFailed']);
    expect(again.events[1]).toMatchObject({ trigger: 'manual', revision: sha });
    expect(again.events[1]?.count).toBe(again.consecutiveFailures);
    expect(again.consecutiveFailures).toBeGreaterThanOrEqual(2);

    const missing = await start({ name: 'gone', repo: path.join(tmp, 'no-such-repo') });
    expect(missing.watcher.status()).toMatchObject({
      ready: false,
      lastError: { code: 'SourceRepoNotFound' },
    });
    expect(missing.watcher.status().revision).toBeUndefined();
  });
});
