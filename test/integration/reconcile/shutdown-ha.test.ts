import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/store/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { type BerthChild, spawnBerth } from '../../harness/berth-process.js';
import { runCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { type DockerRequest, dockerRequestLog } from '../../harness/docker-request-log.js';
import { consistently, eventually, WAIT } from '../../harness/eventually.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer, webDeployment, writeConfig } from './reconcile-harness.js';

// Berth's processes as an operator sees them: SIGTERM in the middle of a big node sync, and two
// `berth up` on one Redis (one leads, the other takes over when the leader is killed with -9).
describe('reconcile: shutdown and high availability', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();

  it('SIGTERM during a large node sync: not one container is created or started after the process says it stops', async () => {
    const prefix = `${redis.prefix}:term`;
    const repo = await initRepo(path.join(dir, 'term'));
    const config = writeConfig(dir, prefix, repo);
    const observe = new Observer(redis.client, prefix, docker.docker, docker.id);
    // Berth talks to Docker through a proxy that notes when each request arrives.
    const proxy = await dockerRequestLog(dir);
    const env = {
      ...(await berthEnv(dir, docker.id, 'term-state')),
      BERTH_DOCKER_SOCKET: proxy.socket,
    };
    const berth = spawnBerth(['up', '-c', config], { env, cwd: dir });
    await berth.waitFor('berth is up');
    await commitFiles(
      repo,
      { 'web.yaml': webDeployment({ replicas: 20, version: 'v1' }) },
      'twenty',
    );
    // In the middle of the node sync: some pods have their container, most not yet.
    await observe.until(
      'a few pods on Docker',
      async () => (await observe.dockerPods(false)).length >= 3,
    );
    const exited = new Promise<number | null>((resolve) => berth.child.once('exit', resolve));
    const signalAt = Date.now();
    berth.child.kill('SIGTERM');
    await berth.waitFor('stopping: no container is started any more');
    const saidAt = Date.now();
    const code = await exited;
    const exitedAt = Date.now();
    expect(code).toBe(0);
    const isStart = (r: DockerRequest) =>
      r.method === 'POST' && /\/containers\/(create|[^/]+\/start)(\?|$)/.test(r.path);
    const starts = proxy.requests.filter(isStart);
    const before = starts.filter((r) => r.at < signalAt).length;
    const pods = await observe.dockerPods(false);
    console.log(
      `SIGTERM with ${before} container creates/starts asked before it, ${pods.length} of 20 pods on Docker at exit, exit ${exitedAt - signalAt} ms after the signal`,
    );
    expect(before).toBeGreaterThan(0);
    // Nothing asked of Docker after the process said it stops (half a second for the proxy's
    // and the pipe's own delays), however long the process took to exit.
    const late = starts
      .filter((r) => r.at > saidAt + 500)
      .map((r) => `${r.method} ${r.path} at +${r.at - signalAt} ms`);
    expect(late).toEqual([]);
    expect(pods.length).toBeLessThan(20);
    // And nothing appears afterwards: no process is left to do it.
    const list = () =>
      docker.docker.listContainers({
        all: true,
        filters: JSON.stringify({ label: [`io.berth.instance=${docker.id}`] }),
      });
    const count = (await list()).length;
    await consistently(async () => expect(await list()).toHaveLength(count), {
      for: 2_000,
      what: 'the containers to stay as they were',
    });
    expect((await runCli(['down', '-c', config, '--yes'], { env, cwd: dir })).code).toBe(0);
  }, 240_000);

  it('two berth up on one Redis: one leads; kill -9 of the leader, the other takes over, a commit pushed meanwhile is applied once', async () => {
    const prefix = `${redis.prefix}:ha`;
    const repo = await initRepo(path.join(dir, 'ha'));
    const config = writeConfig(dir, prefix, repo);
    const observe = new Observer(redis.client, prefix, docker.docker, docker.id);
    const env = await berthEnv(dir, docker.id, 'ha-state');
    const v1 = await commitFiles(
      repo,
      { 'web.yaml': webDeployment({ replicas: 2, version: 'v1' }) },
      'v1',
    );
    const a = spawnBerth(['up', '-c', config], { env, cwd: dir });
    let b: BerthChild | undefined;
    try {
      await a.waitFor('berth is up: converging');
      b = spawnBerth(['up', '-c', config], { env, cwd: dir });
      await b.waitFor('berth is up as a standby');
      const standby = b;
      await observe.settled(v1);
      // Only A leads and runs the node; B stands by for both.
      expect(a.stderr()).toMatch(/leading: this process/);
      expect(b.stderr()).not.toMatch(/leading: this process/);
      expect(b.stderr()).toMatch(/leader: standing by; \S+ pid \d+ holds the lease/);
      expect(b.stderr()).toMatch(/node \S+: standing by/);
      const status = await runCli(['status', '-c', config], { env, cwd: dir });
      expect(status.stdout).toMatch(
        new RegExp(`pid ${a.child.pid}\\s+leader \\(token \\d+\\), node`),
      );
      expect(status.stdout).toMatch(new RegExp(`pid ${b.child.pid}\\s+standby\\s`));

      // The leader dies; a commit is pushed while nobody leads.
      const killedAt = Date.now();
      await a.stop('SIGKILL');
      const v2 = await commitFiles(
        repo,
        { 'web.yaml': webDeployment({ replicas: 2, version: 'v2' }) },
        'v2',
      );
      await standby.waitFor(/leading: this process/, 60_000);
      const takeover = Date.now() - killedAt;
      console.log(`takeover after kill -9: ${takeover} ms (lease ttl 8 s)`);
      expect(takeover).toBeLessThan(45_000);
      await observe.settled(v2);
      // Applied once: the history lists each revision once.
      const history = await new HistoryStore(redis.client, prefix).list('shop');
      expect(history.map((e) => e.revision)).toEqual([v2, v1]);
      // The host runs exactly the store's pods, on v2.
      await eventually(
        async () => {
          const pods = (await observe.pods('web')).map((p) => p.name).sort();
          return pods.length === 2 && (await observe.dockerPods()).join() === pods.join();
        },
        { what: 'Docker runs exactly the two pods of the store', timeout: WAIT.dockerTimeoutMs },
      );
      for (const p of await observe.pods('web')) {
        const ip = (p.pod.status as { podIP: string }).podIP;
        expect(await (await fetch(`http://${ip}:8080/`)).text()).toBe('v2\n');
      }
      const after = await runCli(['status', '-c', config], { env, cwd: dir });
      expect(after.stdout).toMatch(
        new RegExp(
          `^${os.hostname()} pid ${standby.child.pid}\\s+leader \\(token \\d+\\), node`,
          'm',
        ),
      );
    } finally {
      await a.stop('SIGKILL');
      await b?.stop('SIGTERM');
      await runCli(['down', '-c', config, '--yes', '--force'], { env, cwd: dir });
    }
  }, 300_000);
});
