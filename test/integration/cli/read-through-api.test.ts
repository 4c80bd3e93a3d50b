import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, StateReader, startApiServer } from '../../../src/api/index.js';
import {
  type ObjectInput,
  RedisEventStore,
  RedisObjectStore,
  SourceStateStore,
} from '../../../src/store/index.js';
import { type CliRun, runCli } from '../../harness/cli.js';
import { eventually } from '../../harness/eventually.js';
import { REDIS_URL, useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

const PASSWORD = 'read-through-api-secret';
const labels = { app: 'web' };
const spec = { containers: [{ name: 'web', image: 'berth.local/example-web:1' }] };
const owner = (kind: string, name: string) => [
  { apiVersion: 'apps/v1', kind, name, uid: `${name}-uid`, controller: true },
];

// The CLI's read commands through a running instance's API, and through Redis when none
// answers: the same bytes either way. The API path is made the only possible one by giving
// the CLI a Redis URL nothing listens on (same key prefix): it can only answer through the API.
describe('berth get, describe and status read through the API of a running instance', () => {
  const dir = useTempDir();
  const redis = useRedis();
  let api: ApiServer;
  let token: string;
  const configs = { redis: '', api: '', stranger: '' };
  const berth = (config: string, args: string[], env: Record<string, string> = {}) =>
    // No BERTH_REDIS_URL: each configuration's redis.url is what the CLI uses.
    runCli([...args, '-c', config], { env, cwd: dir });

  beforeAll(async () => {
    const store = new RedisObjectStore(redis.client, redis.prefix);
    const put = async (o: ObjectInput, status?: unknown) => {
      await store.apply(o);
      if (status !== undefined)
        await store.putStatus(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, status);
    };
    const ann = { 'berth.dev/source': 'shop' };
    await put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    await put(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop', labels, annotations: ann },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec },
        },
      },
      {
        observedGeneration: 1,
        replicas: 1,
        updatedReplicas: 1,
        readyReplicas: 1,
        availableReplicas: 1,
      },
    );
    await put(
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: 'web-1',
          namespace: 'shop',
          labels,
          ownerReferences: owner('Deployment', 'web'),
        },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec },
        },
      },
      { replicas: 1, readyReplicas: 1, availableReplicas: 1 },
    );
    await put(
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: 'web-1-a',
          namespace: 'shop',
          labels,
          ownerReferences: owner('ReplicaSet', 'web-1'),
        },
        spec,
      },
      { phase: 'Running', podIP: '10.244.0.5', conditions: [{ type: 'Ready', status: 'True' }] },
    );
    await put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'shop', annotations: ann },
      data: { password: Buffer.from(PASSWORD).toString('base64') },
    });
    await new RedisEventStore(redis.client, redis.prefix).record({
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      object: { kind: 'Deployment', namespace: 'shop', name: 'web' },
      message: 'Scaled up replica set web-1 to 1',
      source: 'shop',
    });
    await new SourceStateStore(redis.client, redis.prefix).update('shop', {
      repo: path.join(dir, 'shop'),
      ref: 'branch main',
      sync: 'Synced',
      health: 'Healthy',
      target: 'a'.repeat(40),
      applied: 'a'.repeat(40),
      lastSyncTime: new Date().toISOString(),
    });
    mkdirSync(path.join(dir, 'shop'), { recursive: true });
    mkdirSync(path.join(dir, 'state'), { recursive: true });
    // A token the CLI reads from the state directory; anonymous reads off, so it must send it.
    token = 'cli-read-token-0123456789';
    writeFileSync(path.join(dir, 'state', 'api-token'), `${token}\n`, { mode: 0o600 });
    api = await startApiServer({
      port: 0,
      token,
      anonymousRead: 'none',
      state: new StateReader({
        redis: redis.client,
        prefix: redis.prefix,
        instance: 'cli-api',
        sources: [{ name: 'shop' } as never],
      }),
    });
    const file = (name: string, redisUrl: string, listen: string, prefix = redis.prefix) => {
      const p = path.join(dir, `${name}.yaml`);
      writeFileSync(
        p,
        `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nstateDir: ./state\nredis: {url: "${redisUrl}", keyPrefix: "${prefix}"}\napi: {listen: "${listen}"}\nsources: [{name: shop, repo: ./shop}]\n`,
      );
      return p;
    };
    const listen = `127.0.0.1:${api.port}`;
    // Redis only: the API path is off (BERTH_CLI_API=off in the runs below).
    configs.redis = file('redis', REDIS_URL, listen);
    // API only: Redis at a port nothing listens on.
    configs.api = file('api', 'redis://127.0.0.1:1', listen);
    // An instance of another store answers at the address: the CLI must not use it.
    configs.stranger = file('stranger', REDIS_URL, listen, `${redis.prefix}-other`);
  });
  afterAll(() => api?.close());

  const commands: string[][] = [
    ['get', 'pods', '-n', 'shop'],
    ['get', 'deploy,rs,pods', '-n', 'shop', '-o', 'wide'],
    ['get', 'all', '-A'],
    ['get', 'secret', 'db', '-n', 'shop', '-o', 'json'],
    ['get', 'pods', '-n', 'shop', '-l', 'app=web', '-o', 'yaml'],
    ['get', 'pods', '-n', 'shop', '-o', 'name'],
    ['get', 'pod', 'nope', '-n', 'shop'],
    ['get', 'svc', '-n', 'shop'],
    ['get', 'ns'],
    ['describe', 'deployment', 'web', '-n', 'shop'],
    ['describe', 'pod', 'web-1-a', '-n', 'shop'],
    ['describe', 'secret', 'db', '-n', 'shop'],
    ['describe', 'pod', 'nope', '-n', 'shop'],
    ['describe', 'source', 'shop'],
    ['status'],
    ['status', 'shop', '-o', 'json'],
    ['status', '-o', 'yaml'],
  ];

  it('prints the same bytes (stdout, stderr, exit code) through the API as from Redis', async () => {
    for (const args of commands) {
      // Ages are printed in seconds: compare runs made within the same second (retry if not).
      const [viaRedis, viaApi] = await eventually(
        async () => {
          const pair = [
            await berth(configs.redis, args, { BERTH_CLI_API: 'off' }),
            await berth(configs.api, args),
          ] as [CliRun, CliRun];
          return JSON.stringify(pair[0]) === JSON.stringify(pair[1]) ? pair : undefined;
        },
        { what: `berth ${args.join(' ')} to print the same both ways`, timeout: 20_000 },
      );
      expect(viaApi, args.join(' ')).toEqual(viaRedis);
      expect(viaRedis.code, args.join(' ')).toBe(args.includes('nope') ? 1 : 0);
      expect(viaApi.stdout + viaApi.stderr).not.toContain(PASSWORD);
      expect(viaApi.stdout + viaApi.stderr).not.toContain(token);
    }
    const pods = await berth(configs.api, ['get', 'pods', '-n', 'shop']);
    expect(pods.code).toBe(0);
    expect(pods.stdout).toMatch(/^NAME\s+READY\s+STATUS/);
    expect(pods.stdout).toContain('web-1-a');
  }, 240_000);

  it('falls back to Redis when no instance answers, and ignores an instance of another store', async () => {
    const closed = path.join(dir, 'closed.yaml');
    writeFileSync(
      closed,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nstateDir: ./state\nredis: {url: "${REDIS_URL}", keyPrefix: "${redis.prefix}"}\napi: {listen: "127.0.0.1:1"}\nsources: [{name: shop, repo: ./shop}]\n`,
    );
    const fallback = await berth(closed, ['get', 'pods', '-n', 'shop']);
    expect(fallback.code).toBe(0);
    expect(fallback.stdout).toContain('web-1-a');
    // The stranger config reads another prefix (empty): it must not print this store's pods.
    const stranger = await berth(configs.stranger, ['get', 'pods', '-n', 'shop']);
    expect(stranger.stdout).toBe('');
    expect(stranger.stderr).toBe('No resources found in shop namespace.\n');
    // With the API path off and Redis unreachable: Redis' error, not the API's answer.
    const off = await berth(configs.api, ['get', 'pods', '-n', 'shop'], { BERTH_CLI_API: 'off' });
    expect(off.code).toBe(1);
  }, 120_000);
});
