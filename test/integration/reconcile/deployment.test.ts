import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisEventStore } from '../../../src/store/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { execIn } from '../../harness/docker-exec.js';
import { consistently, eventually, WAIT } from '../../harness/eventually.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer, webDeployment, writeConfig } from './reconcile-harness.js';

// One `berth up` follows one repository through the life of a Deployment: deploy, rolling
// update, scale, a stalled rollout, self-heal, prune. Each step commits and waits for Berth to
// report the revision settled, then checks Docker itself.
describe('reconcile: a Deployment through its life', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  let repo: string;
  let berth: RunningCli;

  beforeAll(async () => {
    repo = await initRepo(path.join(dir, 'repo'));
    const config = writeConfig(dir, redis.prefix, repo);
    await commitFiles(repo, { 'web.yaml': webDeployment({ replicas: 3, version: 'v1' }) }, 'v1');
    berth = startCli(['up', '-c', config], { env: await berthEnv(dir, docker.id), cwd: dir });
  });
  afterAll(async () => {
    await berth?.stop();
  });

  it('deploys a revision: its pods run in Docker and the source reports Synced and Healthy', async () => {
    const head = await git(repo, 'rev-parse', 'HEAD');
    const state = await observe.settled(head);
    expect(state).toMatchObject({ sync: 'Synced', health: 'Healthy', ready: 1, total: 1 });
    const pods = await observe.pods('web');
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.ready)).toBe(true);
    expect(await observe.dockerPods()).toEqual(pods.map((p) => p.name).sort());
    // The pods serve what the template says.
    const ip = (pods[0]?.pod.status as { podIP?: string } | undefined)?.podIP;
    expect(await (await fetch(`http://${ip}:8080/`)).text()).toBe('v1\n');
    const d = await observe.store.get('Deployment/default/web');
    expect(d?.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: expect.arrayContaining([
        expect.objectContaining({ type: 'Available', status: 'True' }),
        expect.objectContaining({ type: 'Progressing', reason: 'NewReplicaSetAvailable' }),
      ]),
    });
  });

  it('rolls a template change out without going below replicas − maxUnavailable ready pods or above replicas + maxSurge pods', async () => {
    // maxSurge 1, maxUnavailable 0: at most 4 pods, at least 3 ready, at every moment.
    const sha = await commitFiles(
      repo,
      { 'web.yaml': webDeployment({ replicas: 3, version: 'v2' }) },
      'v2',
    );
    const samples: Array<{ total: number; ready: number }> = [];
    let done = false;
    const sampling = (async () => {
      while (!done) {
        const pods = await observe.pods('web');
        samples.push({ total: pods.length, ready: pods.filter((p) => p.ready).length });
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await observe.settled(sha);
    done = true;
    await sampling;
    expect(samples.length).toBeGreaterThan(10);
    expect(Math.max(...samples.map((s) => s.total))).toBe(4);
    expect(Math.min(...samples.map((s) => s.ready))).toBeGreaterThanOrEqual(3);
    const pods = await observe.pods('web');
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      const ip = (p.pod.status as { podIP: string }).podIP;
      expect(await (await fetch(`http://${ip}:8080/`)).text()).toBe('v2\n');
    }
    // Two revisions: the old ReplicaSet is kept at 0 for rollback, as Kubernetes does.
    const sets = await observe.store.list('ReplicaSet', 'default');
    expect(sets.map((rs) => (rs.spec as { replicas: number }).replicas).sort()).toEqual([0, 3]);
    await eventually(
      async () => {
        const names = await observe.dockerPods();
        return names.length === 3 && names.every((n) => pods.some((p) => p.name === n));
      },
      { what: 'old pods gone from Docker', timeout: WAIT.dockerTimeoutMs },
    );
  });

  it('scales up and down', async () => {
    const up = await commitFiles(
      repo,
      { 'web.yaml': webDeployment({ replicas: 5, version: 'v2' }) },
      'scale to 5',
    );
    await observe.settled(up);
    expect(await observe.dockerPods()).toHaveLength(5);
    const down = await commitFiles(
      repo,
      { 'web.yaml': webDeployment({ replicas: 2, version: 'v2' }) },
      'scale to 2',
    );
    await observe.settled(down);
    await eventually(async () => (await observe.dockerPods()).length === 2, {
      what: '3 pods stopped',
      timeout: WAIT.dockerTimeoutMs,
    });
    expect((await observe.pods('web')).map((p) => p.name).sort()).toEqual(
      await observe.dockerPods(),
    );
  });

  it('a rollout whose pods never turn ready stops at ProgressDeadlineExceeded, the old pods still serving', async () => {
    const sha = await commitFiles(
      repo,
      {
        'web.yaml': webDeployment({
          replicas: 2,
          version: 'v3',
          probePort: 9999,
          progressDeadlineSeconds: 4,
        }),
      },
      'v3 never ready',
    );
    const state = await observe.settled(sha, 'Degraded');
    expect(state.healthReason).toBe('ProgressDeadlineExceeded');
    expect(state.healthMessage).toContain('Deployment/default/web');
    const d = await observe.store.get('Deployment/default/web');
    expect(
      (d?.status as { conditions?: Array<{ type: string; status: string; reason: string }> })
        ?.conditions,
    ).toContainEqual(
      expect.objectContaining({
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
      }),
    );
    // maxUnavailable 0: both v2 pods still run and are ready; one v3 pod surged and waits.
    const pods = await observe.pods('web');
    expect(pods.filter((p) => p.ready)).toHaveLength(2);
    expect(pods).toHaveLength(3);
    const events = await new RedisEventStore(redis.client, redis.prefix).forObject({
      kind: 'Deployment',
      namespace: 'default',
      name: 'web',
    });
    expect(events.map((e) => e.reason)).toContain('ProgressDeadlineExceeded');
  });

  it('self-heals: a pod container removed out of band is put back', async () => {
    const sha = await commitFiles(
      repo,
      { 'web.yaml': webDeployment({ replicas: 2, version: 'v4' }) },
      'v4',
    );
    await observe.settled(sha);
    const [victim] = await observe.pods('web');
    const name = `${docker.id}_default_${victim?.name}_web`;
    const before = (await docker.docker.getContainer(name).inspect()).Id;
    // `docker rm -f`; Docker 20.10 sometimes answers 500 "directory not empty" to a forced
    // removal racing its own cleanup: the container is gone or going all the same, so retry.
    await eventually(
      async () => {
        await docker.docker
          .getContainer(name)
          .remove({ force: true })
          .catch((err: { statusCode?: number }) => {
            if (err.statusCode !== 404) throw err;
          });
        return true;
      },
      { what: 'the container removed', timeout: WAIT.dockerTimeoutMs },
    );
    await eventually(
      async () => {
        const c = await docker.docker.getContainer(name).inspect();
        return c.Id !== before && c.State.Running;
      },
      { what: 'the container is back and running', timeout: WAIT.dockerTimeoutMs },
    );
    // A container Berth does not manage is never touched.
    const stranger = await docker.docker.createContainer({
      Image: 'berth.local/busybox:1',
      Cmd: ['sleep', '300'],
      Labels: docker.labels,
    });
    await stranger.start();
    await consistently(async () => expect((await stranger.inspect()).State.Running).toBe(true), {
      for: 3000,
      what: 'the unlabelled container to keep running',
    });
    await stranger.remove({ force: true });
  });

  it('a change to a ConfigMap the pods use rolls them, though the Deployment did not change', async () => {
    const cm = (greeting: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: greeting}\ndata: {greeting: "${greeting}"}\n`;
    const web = webDeployment({ replicas: 2, version: 'v4', configMap: 'greeting' });
    const first = await commitFiles(repo, { 'web.yaml': web, 'cm.yaml': cm('hello') }, 'greeting');
    await observe.settled(first);
    const before = (await observe.pods('web')).map((p) => p.name).sort();
    const second = await commitFiles(repo, { 'cm.yaml': cm('bonjour') }, 'only the ConfigMap');
    await observe.settled(second);
    const after = await observe.pods('web');
    expect(after).toHaveLength(2);
    expect(after.some((p) => before.includes(p.name))).toBe(false);
    // The new pods read the new value.
    const [pod] = after;
    const { stdout } = await execIn(
      docker.docker.getContainer(`${docker.id}_default_${pod?.name}_web`),
      ['sh', '-c', 'echo -n $GREETING'],
    );
    expect(stdout).toBe('bonjour');
  });

  it('prunes what leaves Git, with everything it owns; berth.dev/prune: "false" keeps an object', async () => {
    await commitFiles(
      repo,
      {
        'kept.yaml': webDeployment({
          name: 'kept',
          replicas: 1,
          version: 'k',
          annotations: { 'berth.dev/prune': 'false' },
        }),
      },
      'add kept',
    );
    const withKept = await git(repo, 'rev-parse', 'HEAD');
    await observe.settled(withKept);
    rmSync(path.join(repo, 'web.yaml'));
    rmSync(path.join(repo, 'kept.yaml'));
    await git(repo, 'add', '-A');
    await git(repo, 'commit', '-qm', 'remove both');
    const removed = await git(repo, 'rev-parse', 'HEAD');
    await observe.settled(removed);
    await eventually(async () => (await observe.dockerPods()).every((n) => !n.startsWith('web-')), {
      what: 'web pods gone from Docker',
      timeout: WAIT.dockerTimeoutMs,
    });
    expect(await observe.store.get('Deployment/default/web')).toBeUndefined();
    expect(await observe.store.list('ReplicaSet', 'default')).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ name: expect.stringMatching(/^kept-/) }),
      }),
    ]);
    expect((await observe.dockerPods()).filter((n) => n.startsWith('kept-'))).toHaveLength(1);
  });
});
