import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RedisEventStore } from '../../../src/store/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { runCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { freePort } from '../../harness/ports.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

describe('berth up', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const env = (state: string) => berthEnv(dir, docker.id, state);

  it('--example makes a real git repository of the example, says where, and stops on Ctrl-C', async () => {
    const e = await env('state');
    const first = await runCli(['up', '--example'], {
      env: e,
      cwd: dir,
      stop: Promise.resolve('SIGINT'),
    });
    const repo = path.join(dir, 'state', 'examples-repo');
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`made the example repository at ${repo}`);
    expect(await git(repo, 'log', '--format=%s', 'main')).toBe(
      'Example application: web and api tiers',
    );
    expect(await git(repo, 'ls-files')).toContain('web/deployment.yaml');
    expect(await git(repo, 'status', '--porcelain')).toBe('');

    // A second run keeps the user's commits.
    writeFileSync(path.join(repo, 'web', 'configmap.yaml'), 'changed\n');
    await git(repo, 'commit', '-qam', 'Change the page');
    const second = await runCli(['up', '--example'], {
      env: e,
      cwd: dir,
      stop: Promise.resolve('SIGINT'),
    });
    expect(second.code).toBe(0);
    expect(second.stderr).toContain(`using the example repository at ${repo}`);
    expect(await git(repo, 'log', '-1', '--format=%s')).toBe('Change the page');
  });

  it('validates every new commit and prints its plan; an invalid commit is reported and the last good one kept', async () => {
    const repo = await initRepo(path.join(dir, 'shop'));
    const cm = (v: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  v: "${v}"\n`;
    const good = await commitFiles(repo, { 'cm.yaml': cm('1') }, 'First');
    const config = path.join(dir, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources: [{name: shop, repo: ./shop}]\n`,
    );
    const e = await env('state-shop');
    const berth = startCli(['up', '-c', config], { env: e, cwd: dir });
    try {
      await berth.waitFor(`revision ${good.slice(0, 7)} is valid: 1 objects; plan: 1 to create`);
      await berth.waitFor('create ConfigMap default/web');
      // Then applied: the plan of the same ref against what runs has nothing left to do.
      await berth.waitFor(`revision ${good.slice(0, 7)} is synced and healthy: 1 objects`);
      const api = `http://${e.BERTH_API_LISTEN}/api/v1/sources`;
      expect((await fetch(`http://${e.BERTH_API_LISTEN}/healthz`)).status).toBe(200);
      // The plan of any ref, over the API: JSON by default, Markdown for a pull-request comment.
      const plan = await fetch(`${api}/shop/plan?ref=main`);
      expect(plan.status).toBe(200);
      expect(await plan.json()).toMatchObject({
        kind: 'Plan',
        metadata: { name: 'shop' },
        spec: { head: { ref: 'main', sha: good }, base: { live: true } },
        status: { valid: true, summary: { create: 0, unchanged: 1 }, hasChanges: false },
      });
      const markdown = await fetch(`${api}/shop/plan`, { headers: { accept: 'text/markdown' } });
      expect(markdown.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
      expect(await markdown.text()).toContain('No changes');
      expect((await fetch(`${api}/shop/plan?ref=nope`)).status).toBe(404);
      expect((await fetch(`${api}/blog/plan`)).status).toBe(404);

      const bad = await commitFiles(
        repo,
        { 'cm.yaml': cm('2').replace('name: web', 'name: Web_Page') },
        'Break the name',
      );
      await berth.waitFor(
        `revision ${bad.slice(0, 7)} is invalid (1 error); keeping ${good.slice(0, 7)}`,
      );
      expect(berth.stderr()).toMatch(
        /cm\.yaml:4:9: error: ConfigMap default\/Web_Page: metadata\.name: /,
      );
      // Both outcomes are events of the source in Redis, newest first, with their revisions.
      const events = await new RedisEventStore(redis.client, redis.prefix).forObject({
        kind: 'Source',
        namespace: '',
        name: 'shop',
      });
      expect(
        events
          .filter((ev) => ev.reason.startsWith('Validation') || ev.reason === 'RevisionValidated')
          .map((ev) => [ev.type, ev.reason, ev.revision]),
      ).toEqual([
        ['Warning', 'ValidationFailed', bad],
        ['Normal', 'RevisionValidated', good],
      ]);
      expect(events.map((ev) => ev.reason)).toContain('SyncSucceeded');
    } finally {
      const run = await berth.stop();
      expect(run.code).toBe(0);
    }
  });

  it('keeps running when a remote cannot be reached, and says so in the log and in an event', async () => {
    const port = await freePort();
    const config = path.join(dir, 'berth-remote.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}:r"}\nsources: [{name: far, repo: "http://127.0.0.1:${port}/far.git"}]\n`,
    );
    const berth = startCli(['up', '-c', config], { env: await env('state-far'), cwd: dir });
    try {
      await berth.waitFor('berth is up');
      await berth.waitFor(/source far: .*127\.0\.0\.1/);
      const events = await new RedisEventStore(redis.client, `${redis.prefix}:r`).forObject({
        kind: 'Source',
        namespace: '',
        name: 'far',
      });
      expect(events[0]).toMatchObject({ type: 'Warning', reason: 'SourceUnreachable' });
    } finally {
      expect((await berth.stop()).code).toBe(0);
    }
  });

  it('exits 1 with the address and the fix when Redis does not answer', async () => {
    const e = { ...(await env('state2')), BERTH_REDIS_URL: 'redis://:pw-in-url@127.0.0.1:1' };
    const run = await runCli(['up', '--repo', path.join(dir, 'nowhere')], {
      env: e,
      cwd: dir,
      stop: Promise.resolve('SIGINT'),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Redis does not answer at redis://:***@127.0.0.1:1');
    expect(run.stderr).toContain('run scripts/setup-host');
    expect(run.stderr).not.toContain('pw-in-url');
    expect(existsSync(path.join(dir, 'state2', 'examples-repo'))).toBe(false);
  });
});
