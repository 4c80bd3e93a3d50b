import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceStateStore } from '../../../src/store/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { eventually, WAIT } from '../../harness/eventually.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer } from './reconcile-harness.js';

const cm = (name: string, v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {v: "${v}"}\n`;

describe('reconcile: several sources', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  let berth: RunningCli | undefined;
  afterAll(() => berth?.stop());

  it('an object one source manages is never taken over by another: that revision fails, naming the owner', async () => {
    const a = await initRepo(path.join(dir, 'a'));
    const b = await initRepo(path.join(dir, 'b'));
    await commitFiles(a, { 'shared.yaml': cm('shared', 'a'), 'own.yaml': cm('only-a', 'a') }, 'a');
    const config = path.join(dir, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources:\n  - {name: alpha, repo: ${a}}\n  - {name: beta, repo: ${b}}\n`,
    );
    await commitFiles(b, { 'only-b.yaml': cm('only-b', 'b') }, 'b');
    berth = startCli(['up', '-c', config], { env: await berthEnv(dir, docker.id), cwd: dir });
    const states = new SourceStateStore(redis.client, redis.prefix);
    await eventually(
      async () => {
        const all = await states.list();
        return all.length === 2 && all.every((s) => s.sync === 'Synced');
      },
      { what: 'both synced', timeout: WAIT.dockerTimeoutMs },
    );
    // beta now claims alpha's ConfigMap.
    const bad = await commitFiles(b, { 'shared.yaml': cm('shared', 'b') }, 'steal');
    const failed = await eventually(
      async () => {
        const s = await states.get('beta');
        return s?.target === bad && s.sync === 'Failed' ? s : undefined;
      },
      { what: 'beta failed', timeout: WAIT.dockerTimeoutMs },
    );
    expect(failed.syncMessage).toBe(
      `ConfigMap/default/shared belongs to source alpha; revision ${bad.slice(0, 7)} not applied`,
    );
    expect((await observe.store.get('ConfigMap/default/shared'))?.data).toEqual({ v: 'a' });
    // beta keeps what it applied before.
    expect(await observe.store.get('ConfigMap/default/only-b')).toBeDefined();
  });
});
