import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileConfig, loadConfig, type SourceConfig } from '../../../src/config/index.js';
import { rollbackSource } from '../../../src/rollback/index.js';
import { runCli } from '../../harness/cli.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { type GitServer, startGitServer } from '../../harness/git-server.js';
import { useTempDir } from '../../harness/tmp.js';

const cm = (greeting: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  greeting: ${greeting}\n`;

/** A berth.yaml with one source. */
function config(dir: string, source: string): string {
  const file = path.join(dir, `berth-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nsources:\n${source}`);
  return file;
}

describe('berth rollback of a local repository', () => {
  const tmp = useTempDir();
  const env = { BERTH_STATE_DIR: path.join(tmp, 'state') };

  it('reverts the last commit on the checked-out branch and updates the clean working tree', async () => {
    const repo = await initRepo(path.join(tmp, 'a'));
    await commitFiles(repo, { 'cm.yaml': cm('hello') }, 'Hello');
    const bad = await commitFiles(repo, { 'cm.yaml': cm('broken') }, 'Break the greeting');
    const run = await runCli(
      ['rollback', 'shop', '-c', config(tmp, '  - {name: shop, repo: ./a}\n')],
      { env, cwd: tmp },
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^main [0-9a-f]{7} Revert "Break the greeting"\n/);
    expect(await git(repo, 'log', '-1', '--format=%an <%ae>%n%B')).toBe(
      `Berth <berth@localhost>\nRevert "Break the greeting"\n\nRolled back by hand with berth rollback.\n\nThis reverts commit ${bad}.`,
    );
    expect(readFileSync(path.join(repo, 'cm.yaml'), 'utf8')).toBe(cm('hello'));
    expect(await git(repo, 'status', '--porcelain')).toBe('');
  });

  it('refuses to touch a working tree with uncommitted changes', async () => {
    const repo = await initRepo(path.join(tmp, 'b'));
    await commitFiles(repo, { 'cm.yaml': cm('hello'), 'other.yaml': 'a: 1\n' }, 'Hello');
    const bad = await commitFiles(repo, { 'cm.yaml': cm('broken') }, 'Break');
    writeFileSync(path.join(repo, 'other.yaml'), 'a: 2\n');
    const run = await runCli(
      ['rollback', 'shop', '-c', config(tmp, '  - {name: shop, repo: ./b}\n')],
      { env, cwd: tmp },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `main is checked out in ${repo} with uncommitted changes (other.yaml): commit or stash them first`,
    );
    expect(await git(repo, 'rev-parse', 'main')).toBe(bad);
    expect(readFileSync(path.join(repo, 'other.yaml'), 'utf8')).toBe('a: 2\n');
  });

  it('refuses when an untracked file stands where the revert brings a file back', async () => {
    const repo = await initRepo(path.join(tmp, 'f'));
    await commitFiles(repo, { 'cm.yaml': cm('hello'), 'old.yaml': 'kind: Secret\n' }, 'Hello');
    const bad = await commitFiles(repo, { 'old.yaml': null }, 'Remove old.yaml');
    writeFileSync(path.join(repo, 'old.yaml'), 'my own notes\n');
    const run = await runCli(
      ['rollback', 'shop', '-c', config(tmp, '  - {name: shop, repo: ./f}\n')],
      { env, cwd: tmp },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('uncommitted changes (old.yaml)');
    expect(await git(repo, 'rev-parse', 'main')).toBe(bad);
    expect(readFileSync(path.join(repo, 'old.yaml'), 'utf8')).toBe('my own notes\n');
  });

  it('--to reverts every commit after it', async () => {
    const repo = await initRepo(path.join(tmp, 'c'));
    const good = await commitFiles(repo, { 'cm.yaml': cm('hello'), 'api.yaml': 'v: 1\n' }, 'Good');
    await commitFiles(repo, { 'cm.yaml': cm('broken') }, 'Break 1');
    await commitFiles(repo, { 'new.yaml': 'kind: Secret\n' }, 'Break 2');
    const run = await runCli(
      ['rollback', 'shop', '--to', good, '-c', config(tmp, '  - {name: shop, repo: ./c}\n')],
      { env, cwd: tmp },
    );
    expect(run.code).toBe(0);
    expect(await git(repo, 'ls-files')).toBe('api.yaml\ncm.yaml');
    expect(await git(repo, 'log', '-1', '--format=%s')).toBe(
      'Revert "Break 2" and 1 earlier commit',
    );
    expect(await git(repo, 'diff', good, 'HEAD')).toBe('');
  });

  it('undoes only the bad commit when a later one touched other lines, and commits nothing on a conflict', async () => {
    const repo = await initRepo(path.join(tmp, 'e'));
    const source = compileConfig({ env: {}, cwd: tmp, source: { name: 'shop', repo: './e' } })
      .sources[0] as SourceConfig;
    await commitFiles(repo, { 'cm.yaml': cm('hello'), 'api.yaml': 'v: 1\n' }, 'Good');
    const bad = await commitFiles(repo, { 'cm.yaml': cm('broken') }, 'Break');
    await commitFiles(repo, { 'api.yaml': 'v: 2\n' }, 'Unrelated');
    const result = await rollbackSource({
      source,
      stateDir: env.BERTH_STATE_DIR,
      bad,
      reason: 'Deployment default/web is Degraded.',
    });
    expect(result.reverted.map((c) => c.sha)).toEqual([bad]);
    expect(readFileSync(path.join(repo, 'cm.yaml'), 'utf8')).toBe(cm('hello'));
    expect(readFileSync(path.join(repo, 'api.yaml'), 'utf8')).toBe('v: 2\n');

    const bad2 = await commitFiles(repo, { 'cm.yaml': cm('broken again') }, 'Break again');
    const head = await commitFiles(repo, { 'cm.yaml': cm('fixed differently') }, 'Same line again');
    await expect(
      rollbackSource({ source, stateDir: env.BERTH_STATE_DIR, bad: bad2 }),
    ).rejects.toMatchObject({ code: 'RevertConflict' });
    expect(await git(repo, 'rev-parse', 'main')).toBe(head);
    expect(await git(repo, 'status', '--porcelain')).toBe('');
  });

  it('refuses a source that follows a tag', async () => {
    const repo = await initRepo(path.join(tmp, 'd'));
    await commitFiles(repo, { 'cm.yaml': cm('hello') }, 'Hello');
    await git(repo, 'tag', 'v1');
    const run = await runCli(
      ['rollback', 'shop', '-c', config(tmp, '  - {name: shop, repo: ./d, tag: v1}\n')],
      { env, cwd: tmp },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'source shop follows tag v1: only a branch can take a revert commit',
    );
  });
});

describe('berth rollback of a remote repository (git over HTTP with basic auth)', () => {
  const tmp = useTempDir();
  let server: GitServer;
  let work: string;
  let bad: string;
  beforeAll(async () => {
    server = await startGitServer({ root: path.join(tmp, 'srv') });
    await server.createRepo('shop');
    work = await initRepo(path.join(tmp, 'work'));
    await commitFiles(
      work,
      { 'deploy/cm.yaml': cm('hello'), 'deploy/api.yaml': 'v: 1\n' },
      'Hello',
    );
    bad = await commitFiles(work, { 'deploy/cm.yaml': cm('broken') }, 'Break the greeting');
    await commitFiles(work, { 'deploy/api.yaml': 'v: 2\n' }, 'Unrelated api change');
    await git(work, 'push', '-q', server.authedRepoUrl('shop'), 'main');
  });
  afterAll(() => server.stop());

  const source = () =>
    `  - name: shop\n    repo: ${server.repoUrl('shop')}\n    auth: {username: ${server.username}, password: {env: GIT_TOKEN}}\n`;
  const env = () => ({ BERTH_STATE_DIR: path.join(tmp, 'state'), GIT_TOKEN: server.password });

  it('refuses when the remote denies the push, leaving the branch as it was', async () => {
    server.denyPush = true;
    try {
      const before = await git(tmp, 'ls-remote', server.authedRepoUrl('shop'), 'main');
      const run = await runCli(['rollback', 'shop', '-c', config(tmp, source())], {
        env: env(),
        cwd: tmp,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('the remote denied the push to main (HTTP 403)');
      expect(run.stderr).not.toContain(server.password);
      expect(await git(tmp, 'ls-remote', server.authedRepoUrl('shop'), 'main')).toBe(before);
    } finally {
      server.denyPush = false;
    }
  });

  it('pushes a revert of the bad commit that keeps the later unrelated one', async () => {
    const file = config(tmp, source());
    const source_ = loadConfig({ path: file, env: env(), cwd: tmp }).sources[0] as SourceConfig;
    const result = await rollbackSource({
      source: source_,
      stateDir: path.join(tmp, 'state'),
      bad,
      env: env(),
    });
    expect(result.pushed).toBe(true);
    const clone = path.join(tmp, 'clone');
    await git(tmp, 'clone', '-q', server.authedRepoUrl('shop'), clone);
    expect(readFileSync(path.join(clone, 'deploy/cm.yaml'), 'utf8')).toBe(cm('hello'));
    expect(readFileSync(path.join(clone, 'deploy/api.yaml'), 'utf8')).toBe('v: 2\n');
    expect(await git(clone, 'log', '--format=%s', '-1')).toBe('Revert "Break the greeting"');
  });

  it('berth rollback --to pushes a revert of every commit after it, never printing the credentials', async () => {
    const good = await git(work, 'rev-parse', `${bad}~1`);
    const run = await runCli(['rollback', 'shop', '--to', good, '-c', config(tmp, source())], {
      env: env(),
      cwd: tmp,
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`; pushed to ${server.repoUrl('shop')}`);
    expect(run.stdout + run.stderr).not.toContain(server.password);
    const clone = path.join(tmp, 'clone2');
    await git(tmp, 'clone', '-q', server.authedRepoUrl('shop'), clone);
    expect(await git(clone, 'diff', good, 'HEAD')).toBe('');
  });
});
