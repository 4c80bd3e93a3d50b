import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPreviousName } from '../../../src/node/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { spawnBerth } from '../../harness/berth-process.js';
import { useDocker } from '../../harness/docker.js';
import { eventually, WAIT } from '../../harness/eventually.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer, webDeployment, writeConfig } from './reconcile-harness.js';

// Berth in processes of its own: killed with SIGKILL in the middle of a rollout, and several
// processes sharing one queue.
describe('reconcile: processes', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();

  /** Every container of the instance by pod: no pod may have two of a role, none may be unknown to the store. */
  async function containersByPod(): Promise<Map<string, string[]>> {
    const list = await docker.docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`io.berth.instance=${docker.id}`] }),
    });
    const byPod = new Map<string, string[]>();
    for (const c of list) {
      if (isPreviousName(c.Names[0] ?? '')) continue;
      const pod = c.Labels['io.berth.pod'] ?? '?';
      byPod.set(
        pod,
        [...(byPod.get(pod) ?? []), c.Labels['io.berth.container-role'] ?? '?'].sort(),
      );
    }
    return byPod;
  }

  it('kill -9 in the middle of a rollout, then a restart: converges with no orphan and no duplicate container', async () => {
    const repo = await initRepo(path.join(dir, 'kill'));
    const config = writeConfig(dir, `${redis.prefix}:kill`, repo);
    const observe = new Observer(redis.client, `${redis.prefix}:kill`, docker.docker, docker.id);
    const env = await berthEnv(dir, docker.id, 'kill-state');
    const v1 = await commitFiles(
      repo,
      { 'web.yaml': webDeployment({ replicas: 4, version: 'v1' }) },
      'v1',
    );
    let berth = spawnBerth(['up', '-c', config], { env, cwd: dir });
    await observe.settled(v1);

    const v2 = await commitFiles(
      repo,
      { 'web.yaml': webDeployment({ replicas: 4, version: 'v2' }) },
      'v2',
    );
    // Mid-rollout: the new ReplicaSet has some pods, the old one still has some.
    await eventually(
      async () => {
        const sets = await observe.store.list('ReplicaSet', 'default');
        const replicas = sets.map((rs) => (rs.spec as { replicas: number }).replicas);
        return sets.length === 2 && replicas.every((n) => n > 0);
      },
      { what: 'the rollout half way', timeout: WAIT.dockerTimeoutMs },
    );
    await berth.stop('SIGKILL');

    berth = spawnBerth(['up', '-c', config], { env, cwd: dir });
    try {
      await observe.settled(v2);
      const pods = (await observe.pods('web')).map((p) => p.name).sort();
      expect(pods).toHaveLength(4);
      await eventually(
        async () => {
          const byPod = await containersByPod();
          return (
            [...byPod.keys()].sort().join() === pods.join() &&
            [...byPod.values()].every((roles) => roles.join() === 'app')
          );
        },
        { what: 'Docker runs exactly the pods of the store', timeout: WAIT.dockerTimeoutMs },
      );
      for (const p of await observe.pods('web')) {
        const ip = (p.pod.status as { podIP: string }).podIP;
        expect(await (await fetch(`http://${ip}:8080/`)).text()).toBe('v2\n');
      }
    } finally {
      await berth.stop();
    }
  }, 180_000);

  it('a start that fails (the pod network overlaps another) says how to fix it and exits, leaving nothing running', async () => {
    const subnet = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}.0/24`;
    const taken = await docker.docker.createNetwork({
      Name: `${docker.id}_taken`,
      Labels: docker.labels,
      IPAM: { Driver: 'default', Config: [{ Subnet: subnet }] },
    });
    try {
      const repo = await initRepo(path.join(dir, 'overlap'));
      await commitFiles(repo, { 'web.yaml': webDeployment({ replicas: 1, version: 'v1' }) }, 'v1');
      const config = writeConfig(dir, `${redis.prefix}:overlap`, repo);
      const env = {
        ...(await berthEnv(dir, `${docker.id}o`, 'overlap-state')),
        BERTH_POD_CIDR: subnet,
      };
      const berth = spawnBerth(['up', '-c', config], { env, cwd: dir });
      const code = await new Promise<number | null>((resolve) => berth.child.once('exit', resolve));
      expect(code).toBe(1);
      expect(berth.stderr()).toContain(
        `subnet ${subnet} overlaps another Docker network or route on this host; set network.podCIDR in berth.yaml (or BERTH_POD_CIDR) to a free range`,
      );
    } finally {
      await taken.remove();
    }
  });

  it('two worker processes share the queues with the main process; every object is converged once', async () => {
    const prefix = `${redis.prefix}:workers`;
    const repo = await initRepo(path.join(dir, 'workers'));
    const config = writeConfig(dir, prefix, repo);
    const observe = new Observer(redis.client, prefix, docker.docker, docker.id);
    const env = { ...(await berthEnv(dir, docker.id, 'workers-state')), BERTH_LOG_LEVEL: 'debug' };
    const files: Record<string, string> = {};
    for (let i = 0; i < 6; i++) {
      files[`app${i}.yaml`] = webDeployment({ name: `app${i}`, replicas: 2, version: 'v1' });
    }
    const workers = [
      spawnBerth(['up', '--worker', '-c', config], { env, cwd: dir }),
      spawnBerth(['up', '--worker', '-c', config], { env, cwd: dir }),
    ];
    try {
      await Promise.all(workers.map((w) => w.waitFor('berth worker is up')));
      const sha = await commitFiles(repo, files, 'six apps');
      const main = spawnBerth(['up', '-c', config], { env, cwd: dir });
      try {
        await observe.settled(sha);
        const pods = await observe.store.list('Pod', 'default');
        expect(pods).toHaveLength(12);
        expect(await observe.dockerPods()).toEqual(pods.map((p) => p.metadata.name).sort());
        // Each worker process did part of the work.
        for (const w of workers) expect(w.stderr()).toMatch(/reconciled (Deployment|ReplicaSet)\//);
      } finally {
        await main.stop();
      }
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }, 180_000);
});
