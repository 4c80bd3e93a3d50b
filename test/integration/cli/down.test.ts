import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { ChainNames, cleanupProxy, ensureClusterNetwork } from '../../../src/network/index.js';
import { formatSyncKey, WorkQueue } from '../../../src/queue/index.js';
import { LABELS } from '../../../src/runtime/index.js';
import {
  HistoryStore,
  InventoryStore,
  RedisEventStore,
  RedisObjectStore,
  SourceStateStore,
} from '../../../src/store/index.js';
import { berthEnv } from '../../harness/berth-env.js';
import { runCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { REDIS_URL, useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

const run = promisify(execFile);
const SHA = 'c'.repeat(40);

async function exists(docker: Docker, kind: 'container' | 'network' | 'volume', name: string) {
  const handle =
    kind === 'container'
      ? docker.getContainer(name)
      : kind === 'network'
        ? docker.getNetwork(name)
        : docker.getVolume(name);
  return handle.inspect().then(
    () => true,
    () => false,
  );
}

async function natChains(): Promise<string> {
  return (await run('iptables-save', ['-t', 'nat'])).stdout;
}

describe('berth down (real Docker, Redis, iptables)', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const id = docker.id;
  const other = `${id}x`;
  const memoryDir = `/dev/shm/berth/${id}`;
  afterAll(async () => {
    rmSync(memoryDir, { recursive: true, force: true });
    await cleanupProxy({ instance: id });
    await cleanupProxy({ instance: other });
  });

  it('removes what the instance made, keeps events, history, volumes and anything not its own', async () => {
    const config = path.join(dir, 'berth.yaml');
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources: [{name: shop, repo: ./shop}]\n`,
    );
    const env = await berthEnv(dir, id);
    const d = docker.docker;

    // Docker: a pod container on the cluster network, a claim's volume, a container of another
    // instance and one Berth never made.
    const network = `${id}_cluster`;
    await ensureClusterNetwork(d, { name: network, instance: id });
    const managed = (instance: string) => ({
      [LABELS.managed]: 'true',
      [LABELS.instance]: instance,
      ...docker.labels,
    });
    const create = async (name: string, labels: Record<string, string>, networkMode?: string) => {
      const c = await d.createContainer({
        name,
        Image: 'berth.local/pause:1',
        Labels: labels,
        ...(networkMode ? { HostConfig: { NetworkMode: networkMode } } : {}),
      });
      await c.start();
    };
    await create(`${id}_shop_web_POD`, managed(id), network);
    await create(`${other}_shop_web_POD`, managed(other));
    await create(`${id}-unmanaged`, { ...docker.labels, [LABELS.instance]: id });
    const volume = `${id}_shop_pvc_data`;
    await d.createVolume({
      Name: volume,
      Labels: { ...managed(id), [LABELS.kind]: 'PersistentVolumeClaim' },
    });

    // Host: node state, tmpfs, iptables chains of this instance and of another.
    const nodeDir = path.join(env.BERTH_STATE_DIR as string, 'node');
    mkdirSync(path.join(nodeDir, 'pods', 'u1'), { recursive: true });
    mkdirSync(memoryDir, { recursive: true });
    writeFileSync(path.join(memoryDir, 'token'), 'x');
    const mine = new ChainNames(id).services;
    const theirs = new ChainNames(other).services;
    await run('iptables', ['-w', '5', '-t', 'nat', '-N', mine]);
    await run('iptables', ['-w', '5', '-t', 'nat', '-N', theirs]);

    // Redis: objects, state, inventory, a revision, queued work; events and history.
    const store = new RedisObjectStore(redis.client, redis.prefix);
    await store.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web', namespace: 'shop' },
    });
    await store.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web-1', namespace: 'shop' },
      spec: { containers: [] },
    });
    await new SourceStateStore(redis.client, redis.prefix).update('shop', {
      repo: './shop',
      ref: 'branch main',
      prune: true,
      target: SHA,
      applied: SHA,
      sync: 'Synced',
      health: 'Healthy',
    });
    await new InventoryStore(redis.client, redis.prefix).save('shop', SHA, []);
    await redis.client.set(`${redis.prefix}:revision:shop:${SHA}`, '[]');
    await redis.client.hset(`${redis.prefix}:cluster-ips:by-ip`, '10.96.0.10', 'shop/web');
    await redis.client.hset(`${redis.prefix}:node-ports:by-port`, '30080', 'shop/web');
    const queue = await WorkQueue.open({
      name: 'sync',
      redisUrl: REDIS_URL,
      keyPrefix: redis.prefix,
    });
    await queue.enqueue(formatSyncKey({ source: 'shop', revision: SHA }));
    await queue.enqueueAfter('shop@'.concat('d'.repeat(40)), 600_000);
    await queue.close();
    const rollback = await WorkQueue.open({
      name: 'rollback',
      redisUrl: REDIS_URL,
      keyPrefix: redis.prefix,
    });
    await rollback.enqueue('shop');
    await rollback.close();
    await new RedisEventStore(redis.client, redis.prefix).record({
      type: 'Normal',
      reason: 'Synced',
      object: { kind: 'Source', namespace: '', name: 'shop' },
      message: 'applied',
    });
    await new HistoryStore(redis.client, redis.prefix).record('shop', {
      revision: SHA,
      subject: 'First',
      author: 'a',
      committedAt: new Date().toISOString(),
      seenAt: new Date().toISOString(),
      trigger: 'start',
      result: 'Valid',
      errors: 0,
      reverts: [],
    });

    // Off a terminal and without --yes: refused, nothing removed.
    const refused = await runCli(['down', '-c', config], { env, cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes to confirm');
    expect(await exists(d, 'container', `${id}_shop_web_POD`)).toBe(true);

    const down = await runCli(['down', '-c', config, '--yes'], { env, cwd: dir });
    expect(down.stderr).toBe('');
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/^ {2}containers:\s+1$/m);
    expect(down.stdout).toMatch(/^ {2}networks:\s+1$/m);
    expect(down.stdout).toMatch(/^ {2}volumes:\s+0 \(1 kept: --volumes removes them\)$/m);
    expect(down.stdout).toMatch(/^ {2}iptables chains:\s+removed$/m);
    expect(down.stdout).toMatch(/^ {2}state directories:\s+2$/m);
    expect(down.stdout).toMatch(/^ {2}objects:\s+2$/m);
    expect(down.stdout).toMatch(/^ {2}source states:\s+1$/m);
    expect(down.stdout).toMatch(/^ {2}inventories:\s+1$/m);
    expect(down.stdout).toMatch(/^ {2}revisions:\s+1$/m);
    expect(down.stdout).toMatch(/^ {2}queued jobs:\s+3 /m);
    expect(down.stdout).toContain('Kept: events and history.');

    expect(await exists(d, 'container', `${id}_shop_web_POD`)).toBe(false);
    expect(await exists(d, 'network', network)).toBe(false);
    expect(await exists(d, 'volume', volume)).toBe(true);
    expect(await exists(d, 'container', `${other}_shop_web_POD`)).toBe(true);
    expect(await exists(d, 'container', `${id}-unmanaged`)).toBe(true);
    expect(existsSync(nodeDir)).toBe(false);
    expect(existsSync(memoryDir)).toBe(false);
    const chains = await natChains();
    expect(chains).not.toContain(`:${mine} `);
    expect(chains).toContain(`:${theirs} `);

    expect(await store.list('Pod')).toEqual([]);
    expect(await store.list('ConfigMap')).toEqual([]);
    expect(await new SourceStateStore(redis.client, redis.prefix).list()).toEqual([]);
    expect(await new InventoryStore(redis.client, redis.prefix).load('shop')).toBeUndefined();
    expect(await redis.client.exists(`${redis.prefix}:revision:shop:${SHA}`)).toBe(0);
    expect(await redis.client.exists(`${redis.prefix}:cluster-ips:by-ip`)).toBe(0);
    expect(await redis.client.exists(`${redis.prefix}:node-ports:by-port`)).toBe(0);
    // Of the queues nothing is left; what remains under the prefix is the audit trail.
    const left: string[] = [];
    for await (const keys of redis.client.scanStream({ match: `${redis.prefix}:*` }))
      left.push(...(keys as string[]));
    expect(left.map((k) => k.slice(redis.prefix.length + 1).split(':')[0]).sort()).toEqual([
      'events',
      'events',
      'history',
    ]);
    const reopened = await WorkQueue.open({
      name: 'sync',
      redisUrl: REDIS_URL,
      keyPrefix: redis.prefix,
    });
    expect(await reopened.counts()).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    await reopened.close();
    expect(await new RedisEventStore(redis.client, redis.prefix).recent()).toHaveLength(1);
    expect(await new HistoryStore(redis.client, redis.prefix).list('shop')).toHaveLength(1);
    expect((await runCli(['get', 'pods', '-A', '-c', config], { env, cwd: dir })).stderr).toBe(
      'No resources found\n',
    );

    // Again with --volumes: the claim's volume goes; nothing else is left to remove.
    const again = await runCli(['down', '-c', config, '--yes', '--volumes'], { env, cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^ {2}containers:\s+0$/m);
    expect(again.stdout).toMatch(/^ {2}volumes:\s+1$/m);
    expect(await exists(d, 'volume', volume)).toBe(false);
    expect(await exists(d, 'container', `${id}-unmanaged`)).toBe(true);
  });
});
