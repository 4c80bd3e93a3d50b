import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { berthEnv } from '../../harness/berth-env.js';
import { spawnBerth } from '../../harness/berth-process.js';
import { runCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { eventually, WAIT } from '../../harness/eventually.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer, webDeployment, writeConfig } from '../reconcile/reconcile-harness.js';

// `berth down` and a running `berth up`: the process lease says who runs; down waits for it.
describe('berth down while berth up runs', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();

  it('is refused (exit 1, naming the host and pid) while up runs; --force removes anyway; after up exits, down works', async () => {
    const repo = await initRepo(path.join(dir, 'repo'));
    const sha = await commitFiles(
      repo,
      { 'web.yaml': webDeployment({ replicas: 1, version: 'v1' }) },
      'v1',
    );
    const config = writeConfig(dir, redis.prefix, repo);
    const env = await berthEnv(dir, docker.id);
    const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
    const up = spawnBerth(['up', '-c', config], { env, cwd: dir });
    try {
      await up.waitFor('berth is up');
      await observe.settled(sha);
      const status = await runCli(['status', '-c', config], { env, cwd: dir });
      expect(status.stdout).toMatch(
        new RegExp(
          `^${os.hostname()} pid ${up.child.pid}\\s+leader \\(token \\d+\\), node\\s`,
          'm',
        ),
      );

      const refused = await runCli(['down', '-c', config, '--yes'], { env, cwd: dir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`is running (${os.hostname()} pid ${up.child.pid})`);
      expect(refused.stderr).toContain('stop it first');
      expect(refused.stderr).toContain('--force');
      expect(refused.stdout).toBe('');
      // Nothing was removed: the pod still runs.
      expect(await observe.dockerPods()).toHaveLength(1);

      // --force is for an instance that holds its lease but cannot be stopped (hung, or on a
      // host one cannot reach): stopped here with SIGSTOP, so it cannot re-create what down
      // removes (a live one could, and down would report what it could not remove).
      const pid = up.child.pid as number;
      process.kill(pid, 'SIGSTOP');
      let forced: Awaited<ReturnType<typeof runCli>>;
      try {
        forced = await runCli(['down', '-c', config, '--yes', '--force'], { env, cwd: dir });
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      expect(forced.code, forced.stderr).toBe(0);
      expect(forced.stderr).toContain(`--force: removing while instance "${docker.id}" runs`);
      // The pod's one container (a one-container pod runs without a sandbox).
      expect(forced.stdout).toMatch(/^ {2}containers:\s+1$/m);
    } finally {
      expect(await up.stop('SIGTERM')).toBe(0);
    }
    // The process gave its lease back as it exited: down goes through at once.
    const after = await runCli(['down', '-c', config, '--yes'], { env, cwd: dir });
    expect(after.stderr).toBe('');
    expect(after.code).toBe(0);
    await eventually(async () => (await observe.dockerPods(false)).length === 0, {
      what: 'no container left',
      timeout: WAIT.dockerTimeoutMs,
    });
  }, 180_000);
});
