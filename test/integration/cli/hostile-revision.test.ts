import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { berthEnv } from '../../harness/berth-env.js';
import { runCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

// Issue #15: a 4 KB file of flow sequences nested 1,000 deep aborted `validate`, `plan` and
// `up` (SIGABRT inside the parsers), and once committed `up` aborted on every restart.
const deep = readFileSync(
  path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../fixtures/hostile/deep-nesting.yaml',
  ),
  'utf8',
);

describe('a revision nested too deep', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();

  it('validate gives a positioned error; up reports it, keeps the last good revision, and starts again', async () => {
    const repo = await initRepo(path.join(dir, 'shop'));
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  v: "1"\n';
    const good = await commitFiles(repo, { 'cm.yaml': cm }, 'First');
    const config = path.join(dir, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources: [{name: shop, repo: ./shop}]\n`,
    );
    const e = await berthEnv(dir, docker.id, 'state');
    let berth = startCli(['up', '-c', config], { env: e, cwd: dir });
    try {
      await berth.waitFor(`revision ${good.slice(0, 7)} is synced and healthy`, 60_000);
      const bad = await commitFiles(repo, { 'deep.yaml': deep }, 'Nest deep');
      await berth.waitFor(`revision ${bad.slice(0, 7)} is invalid`, 30_000);
      expect(berth.stderr()).toMatch(
        /deep\.yaml:8:103: error: .*nests deeper than the limit of 100/,
      );

      const validate = await runCli(['validate', repo], { env: e, cwd: dir });
      expect(validate.code).toBe(1);
      expect(validate.stdout).toMatch(
        /deep\.yaml:8:103: error: .*nests deeper than the limit of 100/,
      );

      // Restarted on the bad head, up starts, says so, and keeps the last good revision.
      expect((await berth.stop()).code).toBe(0);
      berth = startCli(['up', '-c', config], { env: e, cwd: dir });
      await berth.waitFor(`revision ${bad.slice(0, 7)} is invalid`, 60_000);
      await berth.waitFor(`keeping ${good.slice(0, 7)}`, 30_000);
    } finally {
      expect((await berth.stop()).code).toBe(0);
    }
  }, 180_000);
});
