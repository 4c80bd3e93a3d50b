import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/store/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { consistently, eventually, WAIT } from '../../harness/eventually.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { type GitServer, startGitServer } from '../../harness/git-server.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { pushBody, signedHeaders } from '../api/webhook-signing.js';
import { Observer, webDeployment } from './reconcile-harness.js';

const good = (version = 'v1') =>
  webDeployment({ replicas: 2, version, progressDeadlineSeconds: 3 });
const broken = (version = 'v2') =>
  webDeployment({ replicas: 2, version, probePort: 9999, progressDeadlineSeconds: 3 });
const cm = (name: string, v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {v: "${v}"}\n`;

/** What every pod of `web` serves. */
async function served(observe: Observer): Promise<string[]> {
  const out: string[] = [];
  for (const p of await observe.pods('web')) {
    const ip = (p.pod.status as { podIP: string }).podIP;
    out.push(await (await fetch(`http://${ip}:8080/`)).text());
  }
  return out.sort();
}

describe('automated rollback of a local source', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  let repo: string;
  let berth: RunningCli;

  beforeAll(async () => {
    repo = await initRepo(path.join(dir, 'repo'));
    const config = path.join(dir, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources:\n  - {name: shop, repo: ${repo}, rollback: {enabled: true, authorName: Robot, authorEmail: robot@example.com}}\n`,
    );
    await commitFiles(repo, { 'web.yaml': good() }, 'v1');
    berth = startCli(['up', '-c', config], { env: await berthEnv(dir, docker.id), cwd: dir });
  });
  afterAll(() => berth?.stop());

  it('a degraded revision is reverted in Git, and the host converges back to the good pods', async () => {
    const v1 = await git(repo, 'rev-parse', 'HEAD');
    await observe.settled(v1);
    const bad = await commitFiles(repo, { 'web.yaml': broken() }, 'v2 never ready');
    const revert = await eventually(
      async () => {
        const subject = await git(repo, 'log', '-1', '--format=%s', 'main');
        return subject === 'Revert "v2 never ready"' && git(repo, 'rev-parse', 'main');
      },
      { what: 'a revert commit on main', timeout: WAIT.dockerTimeoutMs },
    );
    const message = await git(repo, 'log', '-1', '--format=%B', 'main');
    expect(message).toContain(`This reverts commit ${bad}.`);
    expect(message).toContain('Deployment/default/web: ProgressDeadlineExceeded');
    expect(await git(repo, 'log', '-1', '--format=%an <%ae>', 'main')).toBe(
      'Robot <robot@example.com>',
    );
    // (the git helper trims its output)
    expect(await git(repo, 'show', 'main:web.yaml')).toBe(good().trimEnd());
    // The checked-out tree follows the branch (it was clean).
    expect(await git(repo, 'status', '--porcelain')).toBe('');

    await observe.settled(revert);
    await eventually(async () => (await served(observe)).join() === 'v1\n,v1\n', {
      what: 'only v1 pods',
      timeout: WAIT.dockerTimeoutMs,
    });
    const history = await new HistoryStore(redis.client, redis.prefix).list('shop');
    const byRevision = new Map(history.map((h) => [h.revision, h]));
    expect(byRevision.get(bad)).toMatchObject({
      revertedBy: revert,
      health: { status: 'Degraded', reason: 'ProgressDeadlineExceeded' },
    });
    expect(byRevision.get(revert)).toMatchObject({
      trigger: 'rollback',
      reverts: [bad],
      health: { status: 'Healthy' },
    });
  });

  it('never reverts a revert: a degraded revert commit stays, flagged', async () => {
    const before = await git(repo, 'rev-parse', 'HEAD');
    writeFileSync(path.join(repo, 'web.yaml'), broken('v9'));
    await git(repo, 'commit', '-qam', `Revert "something"\n\nThis reverts commit ${before}.`);
    const sha = await git(repo, 'rev-parse', 'HEAD');
    await observe.settled(sha, 'Degraded');
    const state = await eventually(
      async () => {
        const s = await observe.states.get('shop');
        return s?.flag ? s : undefined;
      },
      { what: 'the source flagged', timeout: WAIT.dockerTimeoutMs },
    );
    expect(state.flag).toContain('Berth never reverts a revert');
    await consistently(async () => expect(await git(repo, 'rev-parse', 'HEAD')).toBe(sha), {
      for: 1000,
      what: 'the revert to stay unreverted',
    });
    // A new commit clears the flag.
    const fixed = await commitFiles(repo, { 'web.yaml': good('v10') }, 'fix forward');
    await observe.settled(fixed);
    expect((await observe.states.get('shop'))?.flag).toBeUndefined();
  });
});

describe('automated rollback of a remote source (git over HTTP)', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  let server: GitServer;
  let work: string;
  let berth: RunningCli;
  let api: string;
  const secret = 'hook-s3cret';

  /** Pushes the work repository and tells Berth with a signed webhook (its interval is an hour). */
  async function push(notify = true, beforeNotify = () => {}): Promise<string> {
    await git(work, 'push', '-q', server.authedRepoUrl('shop'), 'main');
    beforeNotify();
    // Each push names its head, as a forge's does: the same signed body twice is a replay.
    const body = pushBody('refs/heads/main', await git(work, 'rev-parse', 'HEAD'));
    if (notify) {
      const res = await fetch(`${api}/api/v1/webhooks/shop`, {
        method: 'POST',
        headers: signedHeaders('generic', secret, body),
        body,
      });
      expect(res.status).toBe(202);
    }
    return git(work, 'rev-parse', 'HEAD');
  }
  const remoteHead = async () =>
    (await git(dir, 'ls-remote', server.authedRepoUrl('shop'), 'main')).split(/\s/)[0] as string;

  beforeAll(async () => {
    server = await startGitServer({ root: path.join(dir, 'srv') });
    await server.createRepo('shop');
    work = await initRepo(path.join(dir, 'work'));
    await commitFiles(work, { 'web.yaml': good(), 'other.yaml': cm('other', '1') }, 'v1');
    await push(false);
    const config = path.join(dir, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources:\n  - name: shop\n    repo: ${server.repoUrl('shop')}\n    interval: 1h\n    auth: {username: ${server.username}, password: {env: GIT_TOKEN}}\n    webhookSecret: {env: HOOK_SECRET}\n    rollback: {enabled: true}\n`,
    );
    const env: Record<string, string> = {
      ...(await berthEnv(dir, docker.id)),
      GIT_TOKEN: server.password,
      HOOK_SECRET: secret,
    };
    api = `http://${env.BERTH_API_LISTEN}`;
    berth = startCli(['up', '-c', config], { env, cwd: dir });
  });
  afterAll(async () => {
    await berth?.stop();
    await server?.stop();
  });

  it('pushes a revert of the bad commit that keeps a later unrelated commit, then runs it', async () => {
    await observe.settled(await remoteHead());
    await commitFiles(work, { 'web.yaml': broken() }, 'v2 never ready');
    const bad = await push();
    await eventually(
      async () => {
        return (await observe.states.get('shop'))?.applied === bad;
      },
      { what: 'the bad revision applied', timeout: WAIT.dockerTimeoutMs },
    );
    // Meanwhile someone pushes an unrelated change; Berth has not fetched it.
    await commitFiles(work, { 'other.yaml': cm('other', '2') }, 'unrelated');
    const unrelated = await push(false);
    const revert = await eventually(
      async () => {
        const head = await remoteHead();
        return head !== unrelated && head;
      },
      { what: 'a revert pushed', timeout: WAIT.dockerTimeoutMs },
    );
    await git(work, 'pull', '-q', server.authedRepoUrl('shop'), 'main');
    expect(await git(work, 'log', '--format=%s', '-3')).toBe(
      'Revert "v2 never ready"\nunrelated\nv2 never ready',
    );
    expect(await git(work, 'show', `${revert}:other.yaml`)).toBe(cm('other', '2').trimEnd());
    expect(await git(work, 'show', `${revert}:web.yaml`)).toBe(good().trimEnd());
    await observe.settled(revert);
    expect(await served(observe)).toEqual(['v1\n', 'v1\n']);
    expect((await observe.store.get('ConfigMap/default/other'))?.data).toEqual({ v: '2' });
    expect(berth.stderr()).not.toContain(server.password);
  });

  it('a revert that conflicts with a later change is not committed: the source is pinned to the last healthy revision', async () => {
    const healthy = await remoteHead();
    await commitFiles(work, { 'web.yaml': broken('v3') }, 'v3 never ready');
    const bad = await push();
    await eventually(
      async () => {
        return (await observe.states.get('shop'))?.applied === bad;
      },
      { what: 'the bad revision applied', timeout: WAIT.dockerTimeoutMs },
    );
    // A later change to the same lines, not fetched yet: reverting v3 would conflict with it.
    await commitFiles(work, { 'web.yaml': broken('v4') }, 'v4 on top');
    const later = await push(false);
    const state = await eventually(
      async () => {
        const s = await observe.states.get('shop');
        return s?.pinned ? s : undefined;
      },
      { what: 'the source pinned', timeout: WAIT.dockerTimeoutMs },
    );
    expect(state.pinned).toBe(healthy);
    expect(state.flag).toContain(`rollback of ${bad.slice(0, 7)} refused`);
    await observe.settled(healthy);
    expect(await remoteHead()).toBe(later);
    expect(await served(observe)).toEqual(['v1\n', 'v1\n']);
  });

  it('a push the remote denies pins the source too', async () => {
    // A new commit ends the pin: fix forward first.
    await commitFiles(work, { 'web.yaml': good('v5') }, 'v5');
    const v5 = await push();
    await observe.settled(v5);
    expect((await observe.states.get('shop'))?.pinned).toBeUndefined();
    try {
      await commitFiles(work, { 'web.yaml': broken('v6') }, 'v6 never ready');
      // The push of v6 goes through; Berth's push of its revert will not.
      await push(true, () => {
        server.denyPush = true;
      });
      const state = await eventually(
        async () => {
          const s = await observe.states.get('shop');
          return s?.pinned ? s : undefined;
        },
        { what: 'the source pinned', timeout: WAIT.dockerTimeoutMs },
      );
      expect(state.pinned).toBe(v5);
      expect(state.flag).toContain('denied the push');
      await observe.settled(v5);
      expect(await served(observe)).toEqual(['v5\n', 'v5\n']);
    } finally {
      server.denyPush = false;
    }
  });
});
