import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPreviousName } from '../../../src/node/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { type BerthChild, spawnBerth } from '../../harness/berth-process.js';
import { useDocker } from '../../harness/docker.js';
import { dockerRequestLog } from '../../harness/docker-request-log.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer, webDeployment, writeConfig } from './reconcile-harness.js';

// Issue #14, fault 2: pods deleted from the store while Berth was down (kill -9) kept their
// containers, and Berth even restarted them. Node housekeeping removes them on start.
describe('node housekeeping after kill -9', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();

  /** Every container of the instance, `previous` ones included, as pod → roles. */
  async function containersByPod(): Promise<Map<string, string[]>> {
    const list = await docker.docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`io.berth.instance=${docker.id}`, 'io.berth.kind=Pod'] }),
    });
    const byPod = new Map<string, string[]>();
    for (const c of list) {
      const pod = c.Labels['io.berth.pod'] ?? '?';
      const role = `${c.Labels['io.berth.container-role'] ?? '?'}${isPreviousName(c.Names[0] ?? '') ? '(previous)' : ''}`;
      byPod.set(pod, [...(byPod.get(pod) ?? []), role].sort());
    }
    return byPod;
  }

  it('kill -9 mid-rollout (and a pod deleted while down): exactly one app container per stored pod, no sandbox', async () => {
    const repo = await initRepo(path.join(dir, 'repo'));
    const prefix = `${redis.prefix}:orphans`;
    const config = writeConfig(dir, prefix, repo);
    const observe = new Observer(redis.client, prefix, docker.docker, docker.id);
    const env = await berthEnv(dir, docker.id, 'orphans-state');
    const deploy = (version: string) =>
      commitFiles(
        repo,
        { 'web.yaml': webDeployment({ replicas: 4, version, maxSurge: 2, maxUnavailable: 2 }) },
        version,
      );
    let berth: BerthChild | undefined = spawnBerth(['up', '-c', config], { env, cwd: dir });
    try {
      await observe.settled(await deploy('v1'));
      let head = '';
      for (const version of ['v2']) {
        head = await deploy(version);
        await observe.until('the rollout half way', async () => {
          const sets = await observe.store.list('ReplicaSet', 'default');
          const active = sets.filter((rs) => (rs.spec as { replicas: number }).replicas > 0);
          return active.length >= 2;
        });
        await berth.stop('SIGKILL');
        berth = undefined;
        // While Berth is down, a pod leaves the store and its app container is killed (as a
        // scale-down in flight would leave it); Berth must never start it again.
        const [gone] = await observe.pods('web');
        // What the restarted Berth asks Docker to create or start for that pod (a start the
        // killed process sent before it died may still land late: it is not the new one's).
        let goneContainers: string[] = [];
        if (gone) {
          await observe.store.delete(`Pod/default/${gone.name}`, { gracePeriodSeconds: 0 });
          const uid = gone.pod.metadata.uid;
          const all = await docker.docker.listContainers({
            all: true,
            filters: JSON.stringify({ label: [`io.berth.pod-uid=${uid}`] }),
          });
          goneContainers = all.flatMap((c) => [c.Id, ...c.Names.map((n) => n.replace(/^\//, ''))]);
          const app = all.find((c) => c.Labels['io.berth.container-role'] === 'app');
          if (app?.State === 'running') await docker.docker.getContainer(app.Id).kill();
        }
        mkdirSync(path.join(dir, `docker-${version}`), { recursive: true });
        const proxy = await dockerRequestLog(path.join(dir, `docker-${version}`));
        berth = spawnBerth(['up', '-c', config], {
          env: { ...env, BERTH_DOCKER_SOCKET: proxy.socket },
          cwd: dir,
        });
        await observe.settled(head, 'Healthy', 240_000).catch((err) => {
          throw new Error(`${String(err)}\n${berth?.stderr().slice(-4000)}`);
        });
        const pods = (await observe.pods('web')).map((p) => p.name).sort();
        expect(pods).toHaveLength(4);
        if (gone) expect(pods).not.toContain(gone.name);
        await observe.until(
          `Docker runs exactly the pods of the store after ${version}`,
          async () => {
            const byPod = await containersByPod();
            return (
              [...byPod.keys()].sort().join() === pods.join() &&
              // A kept previous instance (a restarted container) is not a second app container.
              [...byPod.values()].every(
                (roles) => roles.filter((r) => !r.endsWith('(previous)')).join() === 'app',
              )
            );
          },
          90_000,
        );
        const startedAgain = proxy.requests.filter(
          (r) =>
            r.method === 'POST' &&
            ((gone !== undefined &&
              r.path.includes('/containers/create') &&
              r.path.includes(gone.name)) ||
              goneContainers.some((c) => r.path.includes(`/containers/${c}/start`))),
        );
        expect(startedAgain).toEqual([]);
        // The log saw the new process's work at all (a check that could not fail otherwise).
        expect(proxy.requests.some((r) => r.path.includes('/containers/'))).toBe(true);
      }
      for (const p of await observe.pods('web')) {
        const ip = (p.pod.status as { podIP: string }).podIP;
        expect(await (await fetch(`http://${ip}:8080/`)).text()).toBe('v2\n');
      }
    } finally {
      await berth?.stop();
    }
  }, 480_000);
});
