import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../src/store/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer, webDeployment } from './reconcile-harness.js';

// Issue #14, fault 1: a scale of a Deployment that settled longer than progressDeadlineSeconds
// ago was judged ProgressDeadlineExceeded and, with rollback on, reverted.
const DEADLINE_SECONDS = 3;
const web = (replicas: number) =>
  webDeployment({ replicas, version: 'v1', progressDeadlineSeconds: DEADLINE_SECONDS });

describe('scaling a settled Deployment, rollback enabled', () => {
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
    await commitFiles(repo, { 'web.yaml': web(3) }, 'web: 3 replicas');
    berth = startCli(['up', '-c', config], { env: await berthEnv(dir, docker.id), cwd: dir });
  });
  afterAll(() => berth?.stop());

  it('stays Healthy past the deadline, and no revert is committed', async () => {
    await observe.settled(await git(repo, 'rev-parse', 'HEAD'));
    // Let the settled rollout age past its progress deadline.
    await new Promise((r) => setTimeout(r, (DEADLINE_SECONDS + 2) * 1000));

    // Record every health the source reports from the scale on: Degraded must never show.
    const seen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const s = await observe.states.get('shop').catch(() => undefined);
        if (s?.health) seen.add(s.health);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    let scale: string;
    try {
      scale = await commitFiles(repo, { 'web.yaml': web(5) }, 'web: 5 replicas');
      await observe.settled(scale);
      // Longer than the deadline again, with the five pods running: still Healthy, still HEAD.
      await new Promise((r) => setTimeout(r, (DEADLINE_SECONDS + 2) * 1000));
    } finally {
      watching = false;
      await watcher;
    }

    expect([...seen]).not.toContain('Degraded');
    expect((await observe.states.get('shop'))?.health).toBe('Healthy');
    expect(await git(repo, 'rev-parse', 'main')).toBe(scale);
    expect(await git(repo, 'log', '--format=%s', 'main')).not.toContain('Revert');
    const history = await new HistoryStore(redis.client, redis.prefix).list('shop');
    const entry = history.find((h) => h.revision === scale);
    expect(entry?.health).toMatchObject({ status: 'Healthy' });
    expect(entry?.revertedBy).toBeUndefined();

    // On the host: five ready pods of web, five pods running on Docker, nothing else.
    const pods = await observe.pods('web');
    expect(pods.filter((p) => p.ready)).toHaveLength(5);
    expect(await observe.dockerPods()).toEqual(pods.map((p) => p.name).sort());
    const d = await observe.store.get('Deployment/default/web');
    expect(
      (
        d?.status as { conditions?: Array<{ type: string; reason: string }> } | undefined
      )?.conditions?.find((c) => c.type === 'Progressing')?.reason,
    ).toBe('NewReplicaSetAvailable');
  }, 180_000);
});
