import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer, webDeployment } from './reconcile-harness.js';

/** A Job that runs `script` in busybox, with the given annotations. */
function job(name: string, script: string, annotations: Record<string, string>): string {
  const a = Object.entries(annotations)
    .map(([k, v]) => `\n    ${k}: "${v}"`)
    .join('');
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations:${a}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers:
        - name: run
          image: berth.local/busybox:1
          command: [sh, -c, '${script}']
`;
}

/** Container events of the instance, as Docker reports them: what really ran, and when. */
interface ContainerEvent {
  action: string;
  pod: string;
  role: string;
  exitCode?: string;
  time: number;
}

describe('sync waves and hooks, observed on the host', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  const events: ContainerEvent[] = [];
  let stream: NodeJS.ReadableStream | undefined;
  let repo: string;
  let berth: RunningCli | undefined;

  beforeAll(async () => {
    stream = (await docker.docker.getEvents({
      filters: JSON.stringify({ type: ['container'], label: [`io.berth.instance=${docker.id}`] }),
    })) as NodeJS.ReadableStream;
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        nl = buffer.indexOf('\n');
        if (!line.trim()) continue;
        const e = JSON.parse(line) as {
          Action: string;
          timeNano: number;
          Actor: { Attributes: Record<string, string> };
        };
        events.push({
          action: e.Action,
          pod: e.Actor.Attributes['io.berth.pod'] ?? '',
          role: e.Actor.Attributes['io.berth.container-role'] ?? '',
          ...(e.Actor.Attributes.exitCode !== undefined
            ? { exitCode: e.Actor.Attributes.exitCode }
            : {}),
          time: e.timeNano,
        });
      }
    });
    repo = await initRepo(path.join(dir, 'repo'));
    writeFileSync(
      path.join(dir, 'berth.yaml'),
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources:\n  - {name: shop, repo: ${repo}, rollback: {enabled: true}}\n`,
    );
  });
  afterAll(async () => {
    (stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
    await berth?.stop();
  });

  it('a migration Job in wave -1 completes before the Deployment of wave 0 starts', async () => {
    const v1 = await commitFiles(
      repo,
      {
        'migrate.yaml': job('migrate', 'sleep 2; echo migrated', {
          'argocd.argoproj.io/sync-wave': '-1',
        }),
        'web.yaml': webDeployment({ replicas: 1, version: 'v1' }),
      },
      'v1 with a migration',
    );
    berth = startCli(['up', '-c', path.join(dir, 'berth.yaml')], {
      env: await berthEnv(dir, docker.id),
      cwd: dir,
    });
    await observe.settled(v1);
    const migrateDone = events.find(
      (e) => e.action === 'die' && e.pod.startsWith('migrate-') && e.role !== 'sandbox',
    );
    const webStart = events.find((e) => e.action === 'create' && e.pod.startsWith('web-'));
    expect(migrateDone?.exitCode).toBe('0');
    expect(webStart).toBeDefined();
    expect((webStart as ContainerEvent).time).toBeGreaterThan((migrateDone as ContainerEvent).time);
    expect(berth.stderr()).toContain('wave -1 is healthy');
  });

  it('a failing PreSync hook stops the sync before anything is applied, and is rolled back in Git; v1 runs untouched', async () => {
    const before = await observe.pods('web');
    const webPods = async () => (await observe.dockerPods()).filter((p) => p.startsWith('web-'));
    const containersBefore = await webPods();
    const bad = await commitFiles(
      repo,
      {
        'check.yaml': job('check', 'echo refusing; exit 3', {
          'argocd.argoproj.io/hook': 'PreSync',
        }),
        'web.yaml': webDeployment({ replicas: 1, version: 'v2' }),
      },
      'v2 behind a failing check',
    );
    // The automated rollback treats the failed sync like any failed rollout: a revert commit.
    const revert = await observe.until('a revert commit on main', async () => {
      const subject = await git(repo, 'log', '-1', '--format=%s', 'main');
      return subject === 'Revert "v2 behind a failing check"' && git(repo, 'rev-parse', 'main');
    });
    expect(await git(repo, 'log', '-1', '--format=%B', 'main')).toContain(
      'hook Job/default/check failed',
    );
    const state = await observe.states.get('shop');
    expect(state?.failed).toBe(bad);
    expect(state?.applied).not.toBe(bad);
    // The hook really ran and failed on the host.
    expect(
      events.some((e) => e.action === 'die' && e.pod.startsWith('check-') && e.exitCode === '3'),
    ).toBe(true);
    await observe.settled(revert);
    // Nothing of v2 was ever applied: the same v1 pod and container run, and serve v1.
    const after = await observe.pods('web');
    expect(after.map((p) => p.name)).toEqual(before.map((p) => p.name));
    expect(await webPods()).toEqual(containersBefore);
    expect(
      events.some(
        (e) =>
          e.action === 'create' && e.pod.startsWith('web-') && !containersBefore.includes(e.pod),
      ),
    ).toBe(false);
    const ip = (after[0]?.pod.status as { podIP?: string } | undefined)?.podIP;
    expect(await (await fetch(`http://${ip}:8080/`)).text()).toBe('v1\n');
  });
});

describe('a revision held back by dependsOn and by a deny window, then released', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  let berth: RunningCli | undefined;
  afterAll(async () => {
    await berth?.stop();
  });

  it('waits for the source it depends on to be healthy', async () => {
    const dbRepo = await initRepo(path.join(dir, 'db'));
    const appRepo = await initRepo(path.join(dir, 'app'));
    // db's first revision never gets ready: app must wait for it.
    await commitFiles(
      dbRepo,
      { 'db.yaml': webDeployment({ name: 'db', replicas: 1, version: 'd1', probePort: 9999 }) },
      'db v1',
    );
    const app1 = await commitFiles(
      appRepo,
      { 'app.yaml': webDeployment({ name: 'app', replicas: 1, version: 'a1' }) },
      'app v1',
    );
    const config = path.join(dir, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources:\n  - {name: db, repo: ${dbRepo}}\n  - {name: app, repo: ${appRepo}, dependsOn: [db]}\n`,
    );
    berth = startCli(['up', '-c', config], { env: await berthEnv(dir, docker.id), cwd: dir });
    const waiting = await observe.until('app waiting for db', async () => {
      const s = await observe.states.get('app');
      return s?.target === app1 && s.syncMessage?.includes('waiting for source db') && s;
    });
    expect(waiting.applied).toBeUndefined();
    expect(await observe.pods('app')).toEqual([]);
    // db gets healthy: app is released.
    await commitFiles(
      dbRepo,
      { 'db.yaml': webDeployment({ name: 'db', replicas: 1, version: 'd2' }) },
      'db v2',
    );
    await observe.until('app applied and healthy', async () => {
      const s = await observe.states.get('app');
      return s?.applied === app1 && s.health === 'Healthy' && s;
    });
    const db = await observe.states.get('db');
    expect(db?.health).toBe('Healthy');
  });

  it('a deny window holds a revision back until it closes', async () => {
    await berth?.stop();
    berth = undefined;
    const repo = await initRepo(path.join(dir, 'win'));
    const v1 = await commitFiles(
      repo,
      { 'w.yaml': webDeployment({ name: 'win', replicas: 1, version: 'w1' }) },
      'w1',
    );
    // A deny window that opened at the start of the previous minute and closes 60 s from now.
    const now = new Date();
    const minute = now.getUTCMinutes();
    const duration = 60 + now.getUTCSeconds() + 60;
    const config = path.join(dir, 'berth-win.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}w"}\nsources:\n  - {name: shop, repo: ${repo}, syncWindows: [{kind: deny, schedule: "${(minute + 59) % 60} * * * *", duration: "${duration}s"}]}\n`,
    );
    const winObserve = new Observer(redis.client, `${redis.prefix}w`, docker.docker, docker.id);
    berth = startCli(['up', '-c', config], { env: await berthEnv(dir, docker.id), cwd: dir });
    const held = await winObserve.until('the revision held by the window', async () => {
      const s = await winObserve.states.get('shop');
      return s?.target === v1 && s.syncMessage?.startsWith('sync window closed') && s;
    });
    expect(held.applied).toBeUndefined();
    expect(held.syncMessage).toContain('deny window');
    expect(await winObserve.pods('win')).toEqual([]);
    await winObserve.settled(v1, 'Healthy', 120_000);
    expect((await winObserve.pods('win')).length).toBe(1);
  }, 180_000);
});
