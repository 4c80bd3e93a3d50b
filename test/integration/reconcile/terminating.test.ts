import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { berthEnv } from '../../harness/berth-env.js';
import { type BerthChild, spawnBerth } from '../../harness/berth-process.js';
import { runCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { deploymentYaml } from '../../harness/workloads.js';
import { Observer, writeConfig } from './reconcile-harness.js';

// Issue #14, fault 3: a deleted pod left the store at once while its containers still stopped,
// so a Recreate could start the new version beside the old one. Now it terminates: the node
// stops it within its grace period and only then deletes it from the store.

/**
 * A Deployment whose app ignores SIGTERM (it only dies by SIGKILL at the end of the grace
 * period) and serves $VERSION on 8080.
 */
function stubborn(options: {
  replicas: number;
  version: string;
  grace: number;
  strategy?: string;
}): string {
  const doc = parse(
    deploymentYaml({
      name: 'web',
      replicas: options.replicas,
      env: [{ name: 'VERSION', value: options.version }],
      script:
        'trap \'\' TERM; mkdir -p /www && echo "$VERSION" > /www/index.html && httpd -p 8080 -h /www; while true; do sleep 1; done',
      spec: { strategy: { type: options.strategy ?? 'Recreate' } },
    }),
  );
  doc.spec.template.spec.terminationGracePeriodSeconds = options.grace;
  return stringify(doc);
}

describe('terminating pods on Docker', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();

  /** Every app container of the instance (running or not), as pod name and state. */
  async function apps(): Promise<Array<{ pod: string; uid: string; running: boolean }>> {
    const list = await docker.docker.listContainers({
      all: true,
      filters: JSON.stringify({
        label: [`io.berth.instance=${docker.id}`, 'io.berth.container-role=app'],
      }),
    });
    return list.map((c) => ({
      pod: c.Labels['io.berth.pod'] ?? '',
      uid: c.Labels['io.berth.pod-uid'] ?? '',
      running: c.State === 'running',
    }));
  }

  /** Every container (any role) of one pod uid, running or not: `docker ps -a`. */
  async function containersOf(uid: string): Promise<number> {
    const list = await docker.docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`io.berth.pod-uid=${uid}`] }),
    });
    return list.length;
  }

  it('Recreate: no new-version container runs while an old one still exists; get pods shows Terminating', async () => {
    const repo = await initRepo(path.join(dir, 'repo-recreate'));
    const prefix = `${redis.prefix}:recreate`;
    const config = writeConfig(dir, prefix, repo);
    const env = await berthEnv(dir, docker.id, 'recreate-state');
    const observe = new Observer(redis.client, prefix, docker.docker, docker.id);
    const deploy = (version: string) =>
      commitFiles(repo, { 'web.yaml': stubborn({ replicas: 2, version, grace: 3 }) }, version);
    const berth = startCli(['up', '-c', config], { env, cwd: dir });
    try {
      await observe.settled(await deploy('v1'), 'Healthy', 180_000).catch(async (err) => {
        const state = await observe.states.get('shop');
        throw new Error(`${String(err)}\n${JSON.stringify(state)}\n${berth.stderr().slice(-3000)}`);
      });
      const oldPods = new Set((await observe.pods('web')).map((p) => p.name));
      expect(oldPods.size).toBe(2);

      // Sample `docker ps -a` every ~100 ms during the update, and `berth get pods` meanwhile.
      let sampling = true;
      const violations: string[] = [];
      let samplesWithOld = 0;
      let samplesWithNew = 0;
      const sampler = (async () => {
        while (sampling) {
          const all = await apps();
          const old = all.filter((c) => oldPods.has(c.pod));
          const fresh = all.filter((c) => !oldPods.has(c.pod) && c.running);
          if (old.length > 0) samplesWithOld++;
          if (fresh.length > 0) samplesWithNew++;
          if (old.length > 0 && fresh.length > 0)
            violations.push(`${fresh.map((c) => c.pod)} runs beside ${old.map((c) => c.pod)}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const head = await deploy('v2');
      let shown = '';
      await observe.until('berth get pods shows the old pods Terminating', async () => {
        const out = (await runCli(['get', 'pods', '-c', config], { env, cwd: dir })).stdout;
        const lines = out.split('\n').filter((l) => oldPods.has(l.split(/\s+/)[0] ?? ''));
        if (lines.some((l) => /\sTerminating\s/.test(l))) shown = out;
        return shown !== '';
      });
      // The store keeps them, marked, while Docker still has their containers.
      const marked = (await observe.pods('web', { terminating: true })).filter((p) =>
        oldPods.has(p.name),
      );
      for (const p of marked) {
        expect(p.pod.metadata.deletionTimestamp).toBeDefined();
        expect(p.pod.metadata.deletionGracePeriodSeconds).toBe(3);
      }
      await observe.settled(head);
      await observe.until('both new pods serve v2', async () => {
        const pods = await observe.pods('web');
        return pods.length === 2 && pods.every((p) => p.ready && !oldPods.has(p.name));
      });
      sampling = false;
      await sampler;
      expect(violations).toEqual([]);
      // The test saw both sides: old containers lingering (SIGTERM ignored), then the new ones.
      expect(samplesWithOld).toBeGreaterThan(0);
      expect(samplesWithNew).toBeGreaterThan(0);
      expect(shown).toMatch(/\sTerminating\s/);
      // Nothing of the old pods is left on the host: no container, running or not.
      expect((await apps()).filter((c) => oldPods.has(c.pod))).toEqual([]);
      for (const p of await observe.pods('web')) {
        const ip = (p.pod.status as { podIP: string }).podIP;
        expect(await (await fetch(`http://${ip}:8080/`)).text()).toBe('v2\n');
      }
    } finally {
      await berth.stop();
    }
  }, 300_000);

  it('a pod deleted mid-grace when Berth is killed -9 is finished after the restart', async () => {
    const repo = await initRepo(path.join(dir, 'repo-kill'));
    const prefix = `${redis.prefix}:kill`;
    const config = writeConfig(dir, prefix, repo);
    const env = await berthEnv(dir, docker.id, 'kill-state');
    const observe = new Observer(redis.client, prefix, docker.docker, docker.id);
    const deploy = (replicas: number) =>
      commitFiles(
        repo,
        {
          'web.yaml': stubborn({ replicas, version: 'v1', grace: 15, strategy: 'RollingUpdate' }),
        },
        `${replicas} replicas`,
      );
    let berth: BerthChild | undefined = spawnBerth(['up', '-c', config], { env, cwd: dir });
    let events: NodeJS.ReadableStream | undefined;
    const why = (err: unknown) => {
      throw new Error(`${String(err)}\n${berth?.stderr().slice(-3000)}`);
    };
    try {
      await observe.settled(await deploy(2), 'Healthy', 180_000).catch(why);
      const head = await deploy(1);
      // The scale down marks one pod terminating; its app ignores SIGTERM, so it still runs.
      const doomed = await observe.until('a terminating pod', async () => {
        const pods = await observe.pods('web', { terminating: true });
        return pods.find((p) => p.pod.metadata.deletionTimestamp);
      });
      const uid = doomed.pod.metadata.uid;
      await berth.stop('SIGKILL');
      berth = undefined;
      expect((await apps()).find((c) => c.uid === uid)?.running).toBe(true);
      expect((await observe.store.get(`Pod/default/${doomed.name}`))?.metadata.uid).toBe(uid);
      const starts: string[] = [];
      events = (await docker.docker.getEvents({
        filters: JSON.stringify({ event: ['start'], label: [`io.berth.pod-uid=${uid}`] }),
      })) as NodeJS.ReadableStream;
      events.on('data', (d: Buffer) => starts.push(String(d)));

      berth = spawnBerth(['up', '-c', config], { env, cwd: dir });
      await observe
        .until(
          'the terminating pod gone from the store and from Docker',
          async () =>
            (await observe.store.get(`Pod/default/${doomed.name}`)) === undefined &&
            (await containersOf(uid)) === 0,
          120_000,
        )
        .catch(why);
      await observe.settled(head).catch(why);
      // Its containers were never started again; the other pod runs on.
      expect(starts).toEqual([]);
      const pods = await observe.pods('web');
      expect(pods.map((p) => p.name)).not.toContain(doomed.name);
      expect(pods).toHaveLength(1);
      expect((await apps()).filter((c) => c.running).map((c) => c.pod)).toEqual([pods[0]?.name]);
    } finally {
      (events as { destroy?: () => void } | undefined)?.destroy?.();
      await berth?.stop();
    }
  }, 300_000);
});
