import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileConfig, type SourceConfig } from '../../../src/config/index.js';
import { validateRevision } from '../../../src/manifests/index.js';
import { openRef } from '../../../src/source/index.js';
import { InventoryStore } from '../../../src/store/index.js';
import { runCli } from '../../harness/cli.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { type GitServer, startGitServer } from '../../harness/git-server.js';
import { REDIS_URL, useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

const configMap = (greeting: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-config\ndata:\n  greeting: ${greeting}\n`;
const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: ${image}
          env:
            - name: GREETING
              valueFrom: {configMapKeyRef: {name: api-config, key: greeting}}
`;
const secret = (password: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: ${password}\n`;

describe('berth plan', () => {
  const tmp = useTempDir();
  const redis = useRedis();
  const env = () => ({ BERTH_STATE_DIR: path.join(tmp, 'state'), BERTH_REDIS_URL: REDIS_URL });
  let repo: string;
  let first: string;
  let second: string;

  beforeAll(async () => {
    repo = await initRepo(path.join(tmp, 'shop'));
    first = await commitFiles(
      repo,
      {
        'cm.yaml': configMap('hello'),
        'api.yaml': deployment('api:1'),
        'secret.yaml': secret('hunter2-a'),
      },
      'First',
    );
    second = await commitFiles(
      repo,
      { 'cm.yaml': configMap('bonjour'), 'secret.yaml': secret('hunter2-b') },
      'Second',
    );
  });

  it('against another ref: lists the changes, the pods they restart, exits 2, and never shows a secret', async () => {
    const run = await runCli(['plan', '--repo', repo, '--against', 'HEAD~1'], {
      env: env(),
      cwd: tmp,
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      `Plan for shop @ main (${second.slice(0, 7)}) against HEAD~1 (${first.slice(0, 7)})`,
    );
    expect(run.stdout).toContain('  ~ update ConfigMap default/api-config');
    expect(run.stdout).toContain('  ~ update Secret default/db');
    expect(run.stdout).toContain(
      'restarts pods (container api): ConfigMap default/api-config changed',
    );
    expect(run.stdout).toContain('+  password: "(secret: changed)"');
    expect(run.stdout + run.stderr).not.toContain('hunter2');
  });

  it('exits 0 when the refs describe the same objects, 1 when the ref does not exist', async () => {
    expect(
      (
        await runCli(['plan', '--repo', repo, '--ref', first, '--against', first.slice(0, 8)], {
          env: env(),
          cwd: tmp,
        })
      ).code,
    ).toBe(0);
    const missing = await runCli(['plan', '--repo', repo, '--ref', 'no-such-branch'], {
      env: env(),
      cwd: tmp,
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no branch, tag or commit "no-such-branch"');
  });

  it('against live: everything is new before Berth applied anything, nothing once the inventory matches', async () => {
    const config = path.join(tmp, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources: [{name: shop, repo: ./shop}]\n`,
    );
    const before = await runCli(['plan', '-c', config, '-o', 'json'], { env: env(), cwd: tmp });
    expect(before.code).toBe(2);
    expect(JSON.parse(before.stdout)).toMatchObject({
      kind: 'Plan',
      spec: { base: { live: true } },
      status: { valid: true, summary: { create: 3, update: 0, delete: 0 } },
    });
    // Record what the reconcile loop records once it has applied main: the revision's own objects.
    const source = compileConfig({ env: {}, cwd: tmp, source: { name: 'shop', repo: './shop' } })
      .sources[0] as SourceConfig;
    const { files } = await openRef(source, 'main', path.join(tmp, 'state'));
    const applied = [...validateRevision(files).state.objects.values()].map((o) => ({
      apiVersion: o.apiVersion,
      kind: o.kind,
      namespace: o.namespace,
      name: o.name,
      value: o.object as unknown as Record<string, unknown>,
    }));
    await new InventoryStore(redis.client, redis.prefix).save('shop', second, applied);
    const after = await runCli(['plan', '-c', config], { env: env(), cwd: tmp });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('No changes: the host already runs this revision.');
  });

  it('shows an invalid revision as its errors with file:line:col, as Markdown for a pull request, and exits 1', async () => {
    const branch = path.join(tmp, 'shop');
    await git(branch, 'checkout', '-q', '-b', 'broken');
    await commitFiles(
      branch,
      { 'api.yaml': deployment('api:2').replace('replicas: 2', 'replicas: two') },
      'Break it',
    );
    await git(branch, 'checkout', '-q', 'main');
    const run = await runCli(
      ['plan', '--repo', branch, '--ref', 'broken', '--against', 'main', '-o', 'markdown'],
      { env: env(), cwd: tmp },
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('**❌ Invalid revision: 1 error.** Nothing would be applied.');
    expect(run.stdout).toMatch(
      /\| `api\.yaml:6:13` \| error \| Deployment default\/api \| spec\.replicas \| /,
    );
  });

  it('exits 1 on a usage error (2 means "changes" for plan)', async () => {
    expect((await runCli(['plan', '--bogus'], { env: env(), cwd: tmp })).code).toBe(1);
    expect(
      (await runCli(['plan', '--repo', repo, '-o', 'yaml'], { env: env(), cwd: tmp })).code,
    ).toBe(1);
  });
});

describe('berth plan of a remote source (git over HTTP with basic auth)', () => {
  const tmp = useTempDir();
  let server: GitServer;
  beforeAll(async () => {
    server = await startGitServer({ root: path.join(tmp, 'srv') });
    await server.createRepo('shop');
    const work = await initRepo(path.join(tmp, 'work'));
    await commitFiles(work, { 'deploy/cm.yaml': configMap('hello') }, 'First');
    await git(work, 'push', '-q', server.authedRepoUrl('shop'), 'main');
    await git(work, 'checkout', '-q', '-b', 'feature');
    await commitFiles(work, { 'deploy/cm.yaml': configMap('hola') }, 'Spanish');
    await git(work, 'push', '-q', server.authedRepoUrl('shop'), 'feature');
  });
  afterAll(() => server.stop());

  it('fetches the branch with the source credentials and plans it against another branch', async () => {
    const config = path.join(tmp, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nsources:\n  - name: shop\n    repo: ${server.repoUrl('shop')}\n    path: deploy\n    auth: {username: ${server.username}, password: {env: SHOP_TOKEN}}\n`,
    );
    const env = { BERTH_STATE_DIR: path.join(tmp, 'state'), SHOP_TOKEN: server.password };
    const run = await runCli(['plan', '-c', config, '--ref', 'feature', '--against', 'main'], {
      env,
      cwd: tmp,
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('-  greeting: hello');
    expect(run.stdout).toContain('+  greeting: hola');
    const denied = await runCli(['plan', '-c', config, '--ref', 'feature', '--against', 'main'], {
      env: { ...env, SHOP_TOKEN: 'wrong' },
      cwd: tmp,
    });
    expect(denied.code).toBe(1);
    expect(denied.stderr + denied.stdout).not.toContain(server.password);
  });
});
