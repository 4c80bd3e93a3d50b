import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, runCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { consistently, eventually, WAIT } from '../../harness/eventually.js';
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

/** A bare Pod that runs `script` in busybox once, with the given annotations (a hook). */
function pod(name: string, script: string, annotations: Record<string, string>): string {
  const a = Object.entries(annotations)
    .map(([k, v]) => `\n    ${k}: "${v}"`)
    .join('');
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  annotations:${a}
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
        // A PostSync hook Pod, deleted once it succeeded.
        'smoke.yaml': pod('smoke', 'echo smoke ok', {
          'argocd.argoproj.io/hook': 'PostSync',
          'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded',
        }),
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
    // The PostSync hook ran on the host after the Deployment was up, and HookSucceeded deleted it.
    const smokeDone = events.find(
      (e) => e.action === 'die' && e.pod === 'smoke' && e.role !== 'sandbox',
    );
    expect(smokeDone?.exitCode).toBe('0');
    expect((smokeDone as ContainerEvent).time).toBeGreaterThan((webStart as ContainerEvent).time);
    expect(await observe.store.get('Pod/default/smoke')).toBeUndefined();
    // Not an ordinary object: not in the inventory, so never pruned.
    expect((await observe.states.get('shop'))?.total).toBe(2);
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
        // A SyncFail hook Pod: runs when the sync fails.
        'notify.yaml': pod('notify', 'echo sync failed', { 'berth.dev/hook': 'SyncFail' }),
        'web.yaml': webDeployment({ replicas: 1, version: 'v2' }),
      },
      'v2 behind a failing check',
    );
    // The automated rollback treats the failed sync like any failed rollout: a revert commit.
    const revert = await eventually(
      async () => {
        const subject = await git(repo, 'log', '-1', '--format=%s', 'main');
        return subject === 'Revert "v2 behind a failing check"' && git(repo, 'rev-parse', 'main');
      },
      { what: 'a revert commit on main', timeout: WAIT.dockerTimeoutMs },
    );
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
    // The SyncFail hook ran on the host.
    await observe.until('the SyncFail hook to run', async () =>
      events.some((e) => e.action === 'die' && e.pod === 'notify' && e.exitCode === '0'),
    );
    // Hooks are not pruned as ordinary objects: the revert removed check.yaml from Git, and the
    // failed hook Job (BeforeHookCreation: kept until its next run) is still there.
    expect(await observe.store.get('Job/default/check')).toBeDefined();
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
    // The hook's run shows in `berth describe source` (its events) and `berth history` (the
    // failed revision's outcome, naming the hook).
    const cli = { env: await berthEnv(dir, docker.id), cwd: dir };
    const describe = await runCli(
      ['describe', 'source', 'shop', '-c', path.join(dir, 'berth.yaml')],
      cli,
    );
    expect(describe.code).toBe(0);
    expect(describe.stdout).toMatch(/HookStarted\s.*PreSync hook Job\/default\/check started/);
    expect(describe.stdout).toMatch(/HookFailed\s.*PreSync hook Job\/default\/check failed/);
    const history = await runCli(
      ['history', 'shop', '-o', 'json', '-c', path.join(dir, 'berth.yaml')],
      cli,
    );
    expect(history.code).toBe(0);
    const { items } = JSON.parse(history.stdout) as {
      items: Array<{
        metadata: { name: string };
        status: {
          revertedBy?: string;
          health?: { status: string; reason?: string; message?: string };
        };
      }>;
    };
    const failed = items.find((e) => e.metadata.name === bad)?.status;
    expect(failed?.health).toMatchObject({ status: 'Degraded', reason: 'PreSyncHookFailed' });
    expect(failed?.health?.message).toContain('hook Job/default/check failed');
    expect(failed?.revertedBy).toBe(revert);
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
    const waiting = await eventually(
      async () => {
        const s = await observe.states.get('app');
        return s?.target === app1 && s.syncMessage?.includes('waiting for source db') && s;
      },
      { what: 'app waiting for db', timeout: WAIT.dockerTimeoutMs },
    );
    expect(waiting.applied).toBeUndefined();
    expect(await observe.pods('app')).toEqual([]);
    // Nothing of app runs on the host while db is not ready (db's own pod does).
    await observe.until('db running on the host', async () =>
      (await observe.dockerPods()).some((p) => p.startsWith('db-')),
    );
    await consistently(
      async () => {
        expect((await observe.states.get('app'))?.applied).toBeUndefined();
        expect((await observe.dockerPods(false)).filter((p) => p.startsWith('app-'))).toEqual([]);
      },
      { what: 'app held back while db is not ready', for: 5_000 },
    );
    // db gets healthy: app is released.
    await commitFiles(
      dbRepo,
      { 'db.yaml': webDeployment({ name: 'db', replicas: 1, version: 'd2' }) },
      'db v2',
    );
    await eventually(
      async () => {
        const s = await observe.states.get('app');
        return s?.applied === app1 && s.health === 'Healthy' && s;
      },
      { what: 'app applied and healthy', timeout: WAIT.dockerTimeoutMs },
    );
    const db = await observe.states.get('db');
    expect(db?.health).toBe('Healthy');
    // Released: app's pod runs on the host and serves app v1.
    expect((await observe.dockerPods()).filter((p) => p.startsWith('app-')).length).toBe(1);
    const [pod] = await observe.pods('app');
    const ip = (pod?.pod.status as { podIP?: string } | undefined)?.podIP;
    expect(await (await fetch(`http://${ip}:8080/`)).text()).toBe('a1\n');
  });

  it('a deny window holds a revision back until it closes; a manual sync passes it only with manualSync', async () => {
    await berth?.stop();
    berth = undefined;
    const repo = await initRepo(path.join(dir, 'win'));
    const manRepo = await initRepo(path.join(dir, 'man'));
    const v1 = await commitFiles(
      repo,
      { 'w.yaml': webDeployment({ name: 'win', replicas: 1, version: 'w1' }) },
      'w1',
    );
    const m1 = await commitFiles(
      manRepo,
      { 'm.yaml': webDeployment({ name: 'man', replicas: 1, version: 'm1' }) },
      'm1',
    );
    // A deny window that opened at the start of the previous minute and closes 120 s from now
    // (time for a loaded host to start Berth and try the manual syncs while it holds).
    const now = new Date();
    const minute = now.getUTCMinutes();
    const duration = 60 + now.getUTCSeconds() + 120;
    const window = (manualSync: boolean) =>
      `[{kind: deny, schedule: "${(minute + 59) % 60} * * * *", duration: "${duration}s", manualSync: ${manualSync}}]`;
    const config = path.join(dir, 'berth-win.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}w"}\nsources:\n  - {name: shop, repo: ${repo}, syncWindows: ${window(false)}}\n  - {name: man, repo: ${manRepo}, syncWindows: ${window(true)}}\n`,
    );
    const winObserve = new Observer(redis.client, `${redis.prefix}w`, docker.docker, docker.id);
    const env = await berthEnv(dir, docker.id, 'state-win');
    berth = startCli(['up', '-c', config], { env, cwd: dir });
    const heldState = (name: string, target: string) =>
      winObserve.until(`${name} held by the window`, async () => {
        const s = await winObserve.states.get(name);
        return s?.target === target && s.syncMessage?.startsWith('sync window closed') && s;
      });
    const held = await heldState('shop', v1);
    expect(held.applied).toBeUndefined();
    expect(held.syncMessage).toMatch(/deny window .* is active until \d{4}-\d\d-\d\dT/);
    expect((await heldState('man', m1)).syncMessage).toContain('manualSync');
    const onHost = async (prefix: string) =>
      (await winObserve.dockerPods(false)).filter((p) => p.startsWith(prefix));
    await consistently(
      async () => {
        expect(await onHost('win-')).toEqual([]);
        expect(await onHost('man-')).toEqual([]);
      },
      { what: 'nothing of either source on the host while the window holds', for: 5_000 },
    );

    // A manual sync (the API's sync action) passes the window with manualSync only.
    const token = await eventually(
      () => readFileSync(path.join(dir, 'state-win', 'api-token'), 'utf8').trim(),
      { what: 'the API token' },
    );
    const sync = async (name: string) => {
      const answer = await fetch(`http://${env.BERTH_API_LISTEN}/api/v1/sources/${name}/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(answer.status).toBe(202);
    };
    await sync('shop');
    await sync('man');
    // Seen while the window still holds (after it closes, man would be applied anyway).
    // It opened at the start of the previous minute, for `duration` s: it closes 120 s after `now`.
    const windowEnds = now.getTime() - now.getUTCMilliseconds() + 120_000;
    const during = await winObserve.until(
      'man applied and running while the window holds',
      async () => {
        const s = await winObserve.states.get('man');
        const running = (await onHost('man-')).length === 1;
        const shop = await winObserve.states.get('shop');
        const win = await onHost('win-');
        return (
          Date.now() < windowEnds &&
          s?.applied === m1 &&
          s.health === 'Healthy' &&
          running && { shop, win }
        );
      },
    );
    expect(during.shop?.applied).toBeUndefined();
    expect(during.shop?.syncMessage).toContain('sync window closed');
    expect(during.win).toEqual([]);

    // The window closes: shop is released.
    await winObserve.settled(v1, 'Healthy', 200_000);
    expect((await winObserve.dockerPods()).filter((p) => p.startsWith('win-')).length).toBe(1);
  }, 300_000);
});
