import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSourceWatcher, type SourceWatcher } from '../../../src/source/index.js';
import { eventually } from '../../harness/eventually.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { type GitServer, startGitServer } from '../../harness/git-server.js';
import { useTempDir } from '../../harness/tmp.js';
import { capturedLogger, defined, recorder, sourceConfig } from './source-helpers.js';

const HOUR = 3_600_000;

describe('remote source watcher (git http-backend with basic auth)', () => {
  const tmp = useTempDir();
  let server: GitServer;
  const watchers: SourceWatcher[] = [];
  let n = 0;
  beforeAll(async () => {
    server = await startGitServer({ root: path.join(tmp, 'srv') });
  });
  afterAll(() => server.stop());
  afterEach(async () => {
    await Promise.all(watchers.splice(0).map((w) => w.stop()));
  });

  /** A repository on the server and a working clone pushing to it. */
  const newRemote = async () => {
    const name = `app${n++}`;
    await server.createRepo(name);
    const work = await initRepo(path.join(tmp, `work-${name}`));
    const sha = await commitFiles(work, { 'deploy/app.yaml': 'kind: ConfigMap\n' }, 'first');
    await git(work, 'push', '--quiet', server.authedRepoUrl(name), 'main');
    const push = (...args: string[]) =>
      git(work, 'push', '--quiet', server.authedRepoUrl(name), ...args);
    return { name, work, sha, push };
  };
  const start = async (
    name: string,
    extra: Record<string, unknown> = {},
    env: NodeJS.ProcessEnv = { GIT_TOKEN: server.password },
    opts: { retryBaseMs?: number; intervalMs?: number } = {},
  ) => {
    const rec = recorder();
    const log = capturedLogger();
    const source = sourceConfig({
      name,
      repo: server.repoUrl(name),
      auth: { username: server.username, password: { env: 'GIT_TOKEN' } },
      ...extra,
    });
    if (opts.intervalMs) source.intervalMs = opts.intervalMs;
    const stateDir = path.join(tmp, 'state');
    const watcher = createSourceWatcher({
      source,
      stateDir,
      env,
      logger: log.logger,
      retryBaseMs: opts.retryBaseMs ?? HOUR,
      retryMaxMs: opts.retryBaseMs ? opts.retryBaseMs * 4 : HOUR,
      onRevision: rec.onRevision,
      onError: rec.onError,
    });
    watchers.push(watcher);
    await watcher.start();
    return { watcher, rec, log, gitdir: path.join(stateDir, 'sources', `${name}.git`) };
  };

  it('clones into a real git directory and reads the files of the revision', async () => {
    const { name, sha } = await newRemote();
    const { watcher, gitdir } = await start(name, { path: 'deploy' });
    const rev = watcher.status().revision;
    expect(rev).toMatchObject({ source: name, sha, ref: 'refs/heads/main', subject: 'first' });
    expect(existsSync(path.join(gitdir, 'HEAD'))).toBe(true);
    expect(await git(gitdir, 'rev-parse', 'refs/heads/main')).toBe(sha);
    expect(await git(gitdir, 'rev-parse', 'main:deploy')).toBe(rev?.treeSha);
    const files = await watcher.readFiles(defined(rev));
    expect(files.map((f) => [f.path, Buffer.from(f.content).toString()])).toEqual([
      ['app.yaml', 'kind: ConfigMap\n'],
    ]);
    expect(watcher.status().lastSuccessAt).toBeTruthy();
  });

  it('fetches a new commit on refresh and on its interval, and a force-push is a new revision', async () => {
    const { name, work, sha, push } = await newRemote();
    const { watcher, rec } = await start(name);
    const sha2 = await commitFiles(work, { 'deploy/b.yaml': 'b\n' }, 'second');
    await push('main');
    expect((await watcher.refresh('webhook'))?.sha).toBe(sha2);
    expect(rec.revisions.at(-1)?.trigger).toBe('webhook');

    await git(work, 'reset', '--hard', '--quiet', sha);
    const forced = await commitFiles(work, { 'deploy/c.yaml': 'c\n' }, 'rewritten');
    await push('--force', 'main');
    expect((await watcher.refresh('manual'))?.sha).toBe(forced);
    expect(rec.revisions.map((r) => r.revision.sha)).toEqual([sha, sha2, forced]);

    const polled = await start(name, {}, undefined, { intervalMs: 200 });
    const sha4 = await commitFiles(work, { 'deploy/d.yaml': 'd\n' }, 'fourth');
    await push('main');
    const seen = await eventually(() => polled.rec.revisions.find((r) => r.revision.sha === sha4));
    expect(seen.trigger).toBe('interval');
  });

  it('follows an annotated tag and a pinned commit', async () => {
    const { name, work, sha, push } = await newRemote();
    const sha2 = await commitFiles(work, { 'deploy/b.yaml': 'b\n' }, 'second');
    await git(work, 'tag', '-a', 'v1', '-m', 'release', sha);
    await push('main', '--tags');
    const tagged = await start(name, { tag: 'v1' });
    expect(tagged.watcher.status().revision).toMatchObject({ sha, ref: 'refs/tags/v1' });
    const pinned = await start(name, { commit: sha2 });
    expect(pinned.watcher.status().revision).toMatchObject({ sha: sha2, ref: sha2 });
    const missing = await start(name, { tag: 'v9' });
    expect(missing.watcher.status().lastError).toMatchObject({ code: 'SourceRefNotFound' });
  });

  it('reports a wrong password without ever showing it, and keeps the last good revision', async () => {
    const { name, sha } = await newRemote();
    const good = await start(name);
    expect(good.watcher.status().revision?.sha).toBe(sha);
    await good.watcher.stop();
    const wrong = 'wrong-Pa55word-xyz';
    const bad = await start(name, {}, { GIT_TOKEN: wrong });
    const status = bad.watcher.status();
    expect(status.ready).toBe(false);
    expect(status.lastError?.code).toBe('SourceAuthFailed');
    expect(status.lastError?.message).toContain('refused the credentials');
    expect(bad.rec.errors[0]?.code).toBe('SourceAuthFailed');
    const everything = JSON.stringify([
      status,
      bad.rec.errors,
      bad.rec.errors.map((e) => e.message),
      bad.log.lines,
    ]);
    expect(everything).not.toContain(wrong);
    expect(everything).not.toContain(server.password);
    expect(bad.log.lines.join('')).toContain('SourceAuthFailed');
    const unset = await start(name, {}, {});
    expect(unset.watcher.status().lastError?.message).toContain('GIT_TOKEN is not set');
  });

  it('gives up on a server that accepts and never answers', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const watcher = createSourceWatcher({
        source: sourceConfig({ name: 'silent', repo: `http://127.0.0.1:${port}/app.git` }),
        stateDir: path.join(tmp, 'state'),
        fetchTimeoutMs: 300,
        retryBaseMs: HOUR,
      });
      watchers.push(watcher);
      await watcher.start();
      expect(watcher.status().lastError).toMatchObject({ code: 'SourceUnreachable' });
      expect(watcher.status().lastError?.message).toContain('did not answer within 300 ms');
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('keeps the last good revision while the server is down and recovers with backoff', async () => {
    const { name, work, sha } = await newRemote();
    const { watcher, rec } = await start(name, {}, undefined, { retryBaseMs: 100 });
    let sha2 = '';
    expect(watcher.status().revision?.sha).toBe(sha);
    await server.stop();
    try {
      await watcher.refresh('manual');
      await eventually(() => watcher.status().consecutiveFailures >= 3);
      const down = watcher.status();
      expect(down.revision?.sha).toBe(sha);
      expect(down.lastError?.code).toBe('SourceUnreachable');
      // Repeated identical failures are folded into one event with a count.
      const failures = down.events.filter((e) => e.reason === 'FetchFailed');
      expect(failures.reduce((n, e) => n + (e.count ?? 1), 0)).toBeGreaterThanOrEqual(3);
      expect(down.events.at(-1)?.trigger).toBe('retry');
      expect(rec.errors.every((e) => e.code === 'SourceUnreachable')).toBe(true);
      // Pushed straight into the server's repository on disk while it does not answer:
      // the next successful retry must bring this commit.
      sha2 = await commitFiles(work, {}, 'while it was down');
      await git(work, 'push', '--quiet', path.join(server.root, `${name}.git`), 'main');
    } finally {
      await server.start();
    }
    await eventually(() => watcher.status().revision?.sha === sha2);
    const up = watcher.status();
    expect(up.ready).toBe(true);
    expect(up.lastError).toBeUndefined();
    expect(up.events.map((e) => e.reason)).toContain('Recovered');
  });
});
