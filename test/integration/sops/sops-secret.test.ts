import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, runCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { execIn } from '../../harness/docker-exec.js';
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
          volumeMounts:
            - {name: db, mountPath: /etc/db, readOnly: true}
      volumes:
        - name: db
          secret: {secretName: db}
`;

// A repository whose Secret is SOPS-encrypted for an age key made by age-keygen: validate
// with SOPS_AGE_KEY_FILE, plan, and up (sources[].decryption) run a pod that mounts the
// decrypted Secret; the value shows nowhere Berth writes (logs, plan, get, Redis history and
// events); a tampered file is refused with a positioned error and the last good revision stays.
describe('a SOPS-encrypted Secret, end to end', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  let repo: string;
  let config: string;
  let keys: string;
  let recipient: string;
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

  beforeAll(async () => {
    keys = path.join(dir, 'age-keys.txt');
    await run('age-keygen', ['-o', keys]);
    recipient = /# public key: (age1[0-9a-z]+)/.exec(readFileSync(keys, 'utf8'))?.[1] as string;
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
    expect(ok.stdout + ok.stderr).not.toContain(SECRET);
    expect(ok.code).toBe(0);
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
  }, 60_000);

  it('berth plan shows the Secret as changed, never its value', async () => {
    const plan = await cli(['plan', '-c', config]);
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain('Secret default/db');
    expect(plan.stdout).toContain('password: (secret)');
    expect(plan.stdout + plan.stderr).not.toContain(SECRET);
    expect(plan.stdout).not.toContain(SECRET_B64);
  }, 60_000);

  it('berth up runs a pod that mounts the decrypted Secret; the value is nowhere else', async () => {
    berth = startCli(['up', '-c', config], { env, cwd: dir });
    const v1 = await git(repo, 'rev-parse', 'HEAD');
    await observe.settled(v1);
    const [app] = await docker.docker.listContainers({
      filters: JSON.stringify({
        label: [`io.berth.instance=${docker.id}`, 'io.berth.container-role=app'],
      }),
    });
    expect(app).toBeDefined();
    const cat = await execIn(docker.docker.getContainer(app?.Id as string), [
      'cat',
      '/etc/db/password',
    ]);
    expect(cat.stdout).toBe(SECRET);

    for (const args of [
      ['get', 'secret', 'db', '-o', 'yaml'],
      ['get', 'secret', 'db', '-o', 'json'],
      ['describe', 'secret', 'db'],
      ['history', 'shop'],
      ['status'],
    ]) {
      const out = await cli([...args, '-c', config]);
      expect(out.code).toBe(0);
      expect(out.stdout + out.stderr).not.toContain(SECRET);
      expect(out.stdout).not.toContain(SECRET_B64);
    }
    expect(berth.stderr()).not.toContain(SECRET);
    expect(berth.stderr()).not.toContain(SECRET_B64);
    // Redis: only the desired state may hold the value (the stored Secret object, the
    // revision's objects for the workers, the source's inventory that plans compare with;
    // their encryption at rest is another change); history, events, queues and status never do.
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
    for (const key of holders)
      expect(key).toMatch(/Secret|:inventory:shop$|:revision:shop:[0-9a-f]{40}$/);
    expect(holders.filter((k) => /history|event/i.test(k))).toEqual([]);
  }, 150_000);

  it('a tampered commit is invalid with a positioned error; the pod keeps the last good Secret', async () => {
    const v1 = await git(repo, 'rev-parse', 'HEAD');
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
    expect((await observe.states.get('shop'))?.applied).toBe(v1);
    const pods = await observe.dockerPods();
    expect(pods).toHaveLength(1);
    expect(berth?.stderr()).not.toContain(SECRET);
  }, 120_000);
});
