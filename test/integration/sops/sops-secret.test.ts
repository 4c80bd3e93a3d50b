import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validatePolicy } from '../../../src/cli/policy.js';
import { loadConfig, type SourceConfig } from '../../../src/config/index.js';
import {
  type CommitStatus,
  type ForgeClient,
  reviewPullRequest,
} from '../../../src/review/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, runCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { execIn } from '../../harness/docker-exec.js';
import { consistently } from '../../harness/eventually.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { sopsEncryptYaml } from '../../harness/sops-encrypt.js';
import { useTempDir } from '../../harness/tmp.js';
import { Observer, writeConfig } from '../reconcile/reconcile-harness.js';

const run = promisify(execFile);
const SECRET = 'sops-horse-battery-7f3a';
const SECRET_B64 = Buffer.from(SECRET).toString('base64');

const secretYaml = `apiVersion: v1
kind: Secret
metadata:
  name: db
  labels: {app: db}
type: Opaque
stringData:
  password: ${SECRET}
`;
const deploymentYaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
spec:
  replicas: 1
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: app
          image: berth.local/busybox:1
          command: [sleep, '3600']
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db, key: password}
          volumeMounts:
            - {name: db, mountPath: /etc/db, readOnly: true}
      volumes:
        - name: db
          secret: {secretName: db}
`;

// A repository whose Secret is SOPS-encrypted for an age key made by age-keygen: validate
// with SOPS_AGE_KEY_FILE or SOPS_AGE_KEY (from the sources and from the built bin/berth.js),
// plan (live, another ref, the pull-request Markdown and review),
// and up (sources[].decryption) run a pod that reads the decrypted Secret as a file and as an
// environment variable; the value (and the age key) shows nowhere Berth writes: its logs, the
// CLI (get, describe, history, status, plan), the API and the dashboard, events, history and
// anywhere in Redis under the instance's prefix (Secrets are sealed at rest); a tampered commit
// is refused with a positioned error and the pod keeps running the last good revision.
describe('a SOPS-encrypted Secret, end to end', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  let repo: string;
  let config: string;
  let keys: string;
  let recipient: string;
  let identity: string;
  let encrypted: string;
  let env: Record<string, string>;
  let berth: RunningCli | undefined;
  /** The whole value of a Redis key as text, whatever its type. */
  const readKey = async (key: string): Promise<string> => {
    const c = redis.client;
    switch (await c.type(key)) {
      case 'string':
        return (await c.get(key)) ?? '';
      case 'hash':
        return JSON.stringify(await c.hgetall(key));
      case 'list':
        return JSON.stringify(await c.lrange(key, 0, -1));
      case 'set':
        return JSON.stringify(await c.smembers(key));
      case 'zset':
        return JSON.stringify(await c.zrange(key, 0, -1));
      case 'stream':
        return JSON.stringify(await c.xrange(key, '-', '+'));
      default:
        return '';
    }
  };
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    runCli(args, { env: { ...env, ...extra }, cwd: dir });
  /** Neither the plaintext (as is or base64) nor the age key is in `text`. */
  const expectHidden = (text: string, where: string) => {
    expect(text, where).not.toContain(SECRET);
    expect(text, where).not.toContain(SECRET_B64);
    expect(text, where).not.toContain(identity);
  };
  /** Every Redis key under the instance's prefix whose value holds the plaintext. */
  const redisHolders = async (): Promise<string[]> => {
    const holders: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.client.scan(
        cursor,
        'MATCH',
        `${redis.prefix}*`,
        'COUNT',
        500,
      );
      cursor = next;
      for (const key of found) {
        const text = await readKey(key);
        if (text.includes(SECRET) || text.includes(SECRET_B64)) holders.push(key);
      }
    } while (cursor !== '0');
    return holders;
  };
  const appContainer = async () => {
    const [app] = await docker.docker.listContainers({
      filters: JSON.stringify({
        label: [`io.berth.instance=${docker.id}`, 'io.berth.container-role=app'],
      }),
    });
    expect(app).toBeDefined();
    return docker.docker.getContainer(app?.Id as string);
  };

  beforeAll(async () => {
    keys = path.join(dir, 'age-keys.txt');
    await run('age-keygen', ['-o', keys]);
    recipient = /# public key: (age1[0-9a-z]+)/.exec(readFileSync(keys, 'utf8'))?.[1] as string;
    identity = /^AGE-SECRET-KEY-1[0-9A-Z]+$/m.exec(readFileSync(keys, 'utf8'))?.[0] as string;
    expect(identity).toBeDefined();
    encrypted = await sopsEncryptYaml(secretYaml, {
      recipients: [recipient],
      rule: { encrypted_regex: '^(data|stringData)$' },
    });
    expect(encrypted).not.toContain(SECRET);
    repo = await initRepo(path.join(dir, 'repo'));
    config = writeConfig(
      dir,
      redis.prefix,
      repo,
      `, decryption: {provider: sops, ageKeys: {file: ${keys}}}`,
    );
    env = await berthEnv(dir, docker.id);
    await commitFiles(repo, { 'secret.yaml': encrypted, 'app.yaml': deploymentYaml }, 'v1');
  });
  afterAll(async () => {
    await berth?.stop();
    await cli(['down', '--yes', '-c', config]);
  }, 120_000);

  it('berth validate decrypts with SOPS_AGE_KEY_FILE, and refuses without the key or with a tampered file', async () => {
    const ok = await cli(['validate', repo], { SOPS_AGE_KEY_FILE: keys });
    expectHidden(ok.stdout + ok.stderr, 'validate');
    expect(ok.code).toBe(0);
    // sops's other variable: the keys themselves, white-space separated.
    const fromVar = await runCli(['validate', '.'], {
      env: { ...env, XDG_CONFIG_HOME: dir, SOPS_AGE_KEY: `\n  ${identity}  \n` },
      cwd: repo,
    });
    expect(fromVar.code, fromVar.stdout).toBe(0);
    expectHidden(fromVar.stdout + fromVar.stderr, 'validate with SOPS_AGE_KEY');
    // Without berth.yaml (its decryption block) and without sops's variables: no identity.
    const noKey = await runCli(['validate', '.'], {
      env: { ...env, XDG_CONFIG_HOME: dir },
      cwd: repo,
    });
    expect(noKey.code).toBe(1);
    expect(noKey.stdout).toMatch(/^secret\.yaml:\d+:\d+: .*SOPS: no age identity is configured/m);
    const tampered = path.join(dir, 'tampered');
    await run('mkdir', ['-p', tampered]);
    writeFileSync(path.join(tampered, 'secret.yaml'), encrypted.replace('app: db', 'app: web'));
    const bad = await cli(['validate', tampered], { SOPS_AGE_KEY_FILE: keys });
    expect(bad.code).toBe(1);
    const macLine = encrypted.split('\n').findIndex((l) => l.startsWith('    mac:')) + 1;
    expect(bad.stdout).toContain(`secret.yaml:${macLine}:5: error`);
    expect(bad.stdout).toMatch(/SOPS: MAC mismatch/);
    expect(bad.stdout + bad.stderr).not.toContain(SECRET);
  });

  it('the built berth (bin/berth.js over dist/) decrypts too: validate with SOPS_AGE_KEY_FILE, a wrong key refused', async () => {
    const bin = fileURLToPath(new URL('../../../bin/berth.js', import.meta.url));
    const bundle = fileURLToPath(new URL('../../../dist/cli/main.bundle.js', import.meta.url));
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build`);
    const built = async (extra: Record<string, string>) => {
      try {
        const out = await run(process.execPath, [bin, 'validate', '.'], {
          cwd: repo,
          env: { PATH: process.env.PATH ?? '', HOME: dir, XDG_CONFIG_HOME: dir, ...extra },
        });
        return { code: 0, text: out.stdout + out.stderr };
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? -1, text: (e.stdout ?? '') + (e.stderr ?? '') };
      }
    };
    const ok = await built({ SOPS_AGE_KEY_FILE: keys });
    expect(ok.code, ok.text).toBe(0);
    expectHidden(ok.text, 'built validate');
    const other = path.join(dir, 'other-key.txt');
    await run('age-keygen', ['-o', other]);
    const wrong = await built({ SOPS_AGE_KEY_FILE: other });
    expect(wrong.code).toBe(1);
    expect(wrong.text).toMatch(
      /^secret\.yaml:\d+:\d+: .*SOPS: none of the 1 configured age identities opens the data key/m,
    );
    expectHidden(wrong.text, 'built validate, wrong key');
    expect(wrong.text).not.toContain(readFileSync(other, 'utf8').match(/AGE-SECRET-KEY-1\w+/)?.[0]);
  });

  it('berth plan shows the Secret as changed, never its value', async () => {
    const plan = await cli(['plan', '-c', config]);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('Secret default/db');
    expect(plan.stdout).toContain('password: (secret)');
    expect(plan.stdout + plan.stderr).not.toContain(SECRET);
    expect(plan.stdout).not.toContain(SECRET_B64);
  });

  it('berth up runs a pod that reads the decrypted Secret (file and env); the value is nowhere else', async () => {
    berth = startCli(['up', '-c', config], { env, cwd: dir });
    const v1 = await git(repo, 'rev-parse', 'HEAD');
    await observe.settled(v1);
    const app = await appContainer();
    expect((await execIn(app, ['cat', '/etc/db/password'])).stdout).toBe(SECRET);
    // The container's environment, as its process 1 sees it.
    const environ = (await execIn(app, ['cat', '/proc/1/environ'])).stdout.split('\0');
    expect(environ).toContain(`DB_PASSWORD=${SECRET}`);

    for (const args of [
      ['get', 'secret', 'db', '-o', 'yaml'],
      ['get', 'secret', 'db', '-o', 'json'],
      ['get', 'secrets', '-A', '-o', 'yaml'],
      ['describe', 'secret', 'db'],
      ['describe', 'source', 'shop'],
      ['history', 'shop'],
      ['history', 'shop', '-o', 'json'],
      ['status'],
      ['plan'],
    ]) {
      const out = await cli([...args, '-c', config]);
      expect(out.code, `${args.join(' ')}: ${out.stdout}${out.stderr}`).toBe(0);
      expectHidden(out.stdout + out.stderr, args.join(' '));
      if (args[0] === 'get' && args[1] === 'secret') expect(out.stdout).toContain('<redacted>');
    }

    // The API and the dashboard (server-rendered pages), with the token the instance made.
    const url = `http://${env.BERTH_API_LISTEN}`;
    const token = readFileSync(
      path.join(env.BERTH_STATE_DIR as string, 'api-token'),
      'utf8',
    ).trim();
    const answers: string[] = [];
    for (const p of [
      '/api/v1/objects/secrets/db?namespace=default',
      '/api/v1/objects/secrets',
      '/api/v1/objects/secrets/db/describe?namespace=default',
      '/api/v1/objects/secrets/db/events?namespace=default',
      '/api/v1/objects/pods?namespace=default',
      '/api/v1/events',
      '/api/v1/sources/shop',
      '/api/v1/sources/shop/describe',
      '/api/v1/sources/shop/history',
      '/api/v1/sources/shop/events',
      '/api/v1/sources/shop/tree',
      `/api/v1/sources/shop/revisions/${v1}/plan`,
      '/api/v1/sources/shop/plan',
      '/api/v1/sources/shop/plan?format=markdown',
      '/metrics',
      '/',
      '/sources/shop',
      '/sources/shop/history',
      `/sources/shop/revisions/${v1}`,
      '/objects/secrets/default/db',
      `/objects/pods/default/${(await observe.pods('app'))[0]?.name}`,
    ]) {
      const res = await fetch(`${url}${p}`, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.text();
      expect(res.status, `${p}: ${body.slice(0, 200)}`).toBe(200);
      expectHidden(body, p);
      answers.push(body);
    }
    expect(answers[0]).toContain('<redacted>');
    expect(answers.join('\n')).toContain('password');

    // Berth's own log, and Redis: every key under the instance's prefix (objects, inventory,
    // revision objects, history, events, queues, source state); Secrets are sealed at rest.
    expectHidden(berth.stderr(), 'berth up log');
    expect(await redisHolders()).toEqual([]);
  });

  it('a pull request that rotates the value plans as (secret: changed), never showing either value', async () => {
    const NEW = 'sops-rotated-9c1e';
    const branchDir = path.join(dir, 'rotate');
    await git(repo, 'worktree', 'add', '--quiet', '-b', 'rotate', branchDir);
    const rotated = await sopsEncryptYaml(secretYaml.replace(SECRET, NEW), {
      recipients: [recipient],
      rule: { encrypted_regex: '^(data|stringData)$' },
    });
    await commitFiles(branchDir, { 'secret.yaml': rotated }, 'rotate the password');
    const url = `http://${env.BERTH_API_LISTEN}`;
    const token = readFileSync(
      path.join(env.BERTH_STATE_DIR as string, 'api-token'),
      'utf8',
    ).trim();
    const outputs: string[] = [];
    for (const args of [
      ['plan', '--ref', 'rotate'],
      ['plan', '--ref', 'rotate', '--against', 'main', '-o', 'markdown'],
      ['plan', '--ref', 'rotate', '--against', 'main', '-o', 'json'],
    ]) {
      const out = await cli([...args, '-c', config]);
      expect(out.code, out.stdout + out.stderr).toBe(2);
      outputs.push(out.stdout + out.stderr);
    }
    for (const q of ['ref=rotate', 'ref=rotate&against=main&format=markdown']) {
      const res = await fetch(`${url}/api/v1/sources/shop/plan?${q}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      outputs.push(await res.text());
    }
    // The pull-request review itself (what a forge webhook runs), with an in-memory forge.
    const comments: string[] = [];
    const statuses: CommitStatus[] = [];
    const forge: ForgeClient = {
      listComments: async () => comments.map((body, i) => ({ id: i + 1, body })),
      createComment: async (_pr, body) => {
        comments.push(body);
      },
      updateComment: async (_pr, id, body) => {
        comments[id - 1] = body;
      },
      setStatus: async (status) => {
        statuses.push(status);
      },
    };
    const berthConfig = loadConfig({ env, cwd: dir, path: config });
    const review = (headSha: string, number: number) =>
      reviewPullRequest({
        config: berthConfig,
        source: berthConfig.sources[0] as SourceConfig,
        pr: { number, headSha, base: 'main' },
        policy: validatePolicy(berthConfig),
        client: forge,
        env,
      });
    const good = await review(await git(branchDir, 'rev-parse', 'HEAD'), 1);
    expect(good.state).toBe('success');
    outputs.push(comments[0] as string);
    for (const text of outputs) {
      expect(text).toContain('(secret: changed)');
      expectHidden(text, 'plan of the rotation');
      expect(text).not.toContain(NEW);
      expect(text).not.toContain(Buffer.from(NEW).toString('base64'));
    }
    // A pull request that edits the encrypted file without sops: a failed review naming the
    // file, line and reason; no plan.
    const tampered = await commitFiles(
      branchDir,
      { 'secret.yaml': rotated.replace('app: db', 'app: evil') },
      'edit the Secret by hand',
    );
    const bad = await review(tampered, 2);
    expect(bad.state).toBe('failure');
    expect(statuses.at(-1)).toMatchObject({ sha: tampered, state: 'failure' });
    const comment = comments.at(-1) as string;
    expect(comment).toMatch(/secret\.yaml:\d+:\d+/);
    expect(comment).toContain('SOPS: MAC mismatch');
    expectHidden(comment, 'review of the tampered pull request');
    expect(comment).not.toContain(NEW);
  });

  it('a tampered commit is invalid with a positioned error; the pod keeps the last good Secret', async () => {
    const v1 = await git(repo, 'rev-parse', 'HEAD');
    const before = await appContainer();
    const v2 = await commitFiles(
      repo,
      { 'secret.yaml': encrypted.replace('app: db', 'app: web') },
      'tamper',
    );
    await observe.until('v2 refused', async () => {
      const history = await cli(['history', 'shop', '-o', 'json', '-c', config]);
      return history.stdout.includes(v2) && /Invalid/.test(history.stdout);
    });
    expect(berth?.stderr()).toMatch(/secret\.yaml:\d+:\d+: .*SOPS: MAC mismatch/);
    // Nothing of v2 is applied, for a while: v1 stays applied, the same container keeps
    // running with the last good value.
    await consistently(
      async () => {
        expect((await observe.states.get('shop'))?.applied).toBe(v1);
        expect(await observe.dockerPods()).toHaveLength(1);
        const after = await appContainer();
        expect(after.id).toBe(before.id);
        expect((await execIn(after, ['cat', '/etc/db/password'])).stdout).toBe(SECRET);
      },
      { what: 'the last good revision to keep running', for: 5_000, interval: 1_000 },
    );
    expectHidden(berth?.stderr() ?? '', 'berth up log');
    expect(await redisHolders()).toEqual([]);
  });
});
