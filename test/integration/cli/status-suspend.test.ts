import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { beforeAll, describe, expect, it } from 'vitest';
import { RedisEventStore, SourceStateStore } from '../../../src/store/index.js';
import { runCli } from '../../harness/cli.js';
import { REDIS_URL, useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('berth status, suspend and resume (real Redis)', () => {
  const dir = useTempDir();
  const redis = useRedis();
  const env = { BERTH_REDIS_URL: REDIS_URL };
  const config = path.join(dir, 'berth.yaml');
  const berth = (...args: string[]) => runCli([...args, '-c', config], { env, cwd: dir });
  const states = new SourceStateStore(redis.client, redis.prefix);
  const events = new RedisEventStore(redis.client, redis.prefix);
  const shopEvents = async () =>
    (await events.forObject({ kind: 'Source', namespace: '', name: 'shop' })).map((e) => e.reason);

  beforeAll(async () => {
    writeFileSync(
      config,
      `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${redis.prefix}"}\nsources:\n  - {name: blog, repo: ./blog}\n  - {name: docs, repo: ./docs}\n  - {name: shop, repo: ./shop}\n`,
    );
    const lastSyncTime = new Date(Date.now() - 90_000).toISOString();
    await states.update('shop', {
      repo: '/srv/shop',
      ref: 'branch main',
      prune: true,
      target: B,
      targetSubject: 'Bump the web image',
      applied: A,
      sync: 'Synced',
      health: 'Healthy',
      lastSyncTime,
    });
    await states.update('docs', {
      repo: '/srv/docs',
      ref: 'tag v2',
      prune: false,
      target: A,
      applied: A,
      sync: 'Synced',
      health: 'Healthy',
      lastSyncTime,
    });
    await states.update('api', {
      repo: '/srv/api',
      ref: 'branch main',
      prune: true,
      target: A,
      sync: 'Failed',
      syncMessage: 'Service api/web: port 80 is taken',
      health: 'Degraded',
    });
  });

  it('shows each source: full revision, sync, health, last sync age, message', async () => {
    const run = await berth('status');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^NAME\s+REPO\s+REF\s+REVISION\s+SYNC\s+HEALTH\s+LAST SYNC\s+MESSAGE$/,
    );
    // Configured sources and those Redis remembers (api left berth.yaml), by name.
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['api', 'blog', 'docs', 'shop']);
    expect(lines[1]).toMatch(
      /^api\s+\/srv\/api\s+branch main\s+<none>\s+Failed\s+Degraded\s+<never>\s+Service api\/web: port 80 is taken$/,
    );
    expect(lines[2]).toMatch(
      /^blog\s+\S+\/blog\s+branch main\s+<none>\s+OutOfSync\s+Missing\s+<never>\s+not seen yet/,
    );
    expect(lines[3]).toMatch(
      new RegExp(`^docs\\s+/srv/docs\\s+tag v2\\s+${A}\\s+Synced\\s+Healthy\\s+\\d+s$`),
    );
    expect(lines[4]).toMatch(
      new RegExp(
        `^shop\\s+/srv/shop\\s+branch main\\s+${A}\\s+OutOfSync\\s+Healthy\\s+\\d+s\\s+revision bbbbbbb is not applied yet \\(Bump the web image\\)$`,
      ),
    );
  });

  it('prints a kubectl List of Source resources with -o json and yaml', async () => {
    const json = JSON.parse((await berth('status', 'shop', '-o', 'json')).stdout);
    expect(json).toMatchObject({ apiVersion: 'v1', kind: 'List' });
    expect(json.items).toEqual([
      {
        apiVersion: 'berth.dev/v1alpha1',
        kind: 'Source',
        metadata: { name: 'shop' },
        spec: { repo: '/srv/shop', ref: 'branch main', prune: true, suspend: false },
        status: {
          revision: A,
          targetRevision: B,
          targetSubject: 'Bump the web image',
          sync: { status: 'OutOfSync' },
          health: { status: 'Healthy' },
          lastSyncTime: expect.any(String),
        },
      },
    ]);
    expect((await berth('status', '-o', 'yaml')).stdout).toMatch(
      /^kind: List\nitems:\n {2}- apiVersion: berth.dev\/v1alpha1\n {4}kind: Source\n/m,
    );
    expect((await berth('status', '-o', 'table')).code).toBe(2);
  });

  it('exits 1 for an unknown source, listing the known ones', async () => {
    for (const command of ['status', 'suspend', 'resume']) {
      const run = await berth(command, 'shpo');
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'berth: source "shpo" not found; known sources: api, blog, docs, shop\n',
      );
    }
  });

  it('suspends (HEALTH Suspended, an event) and resumes (an event, the target revision queued)', async () => {
    const queue = new Queue('sync', { connection: redis.client, prefix: redis.prefix });
    try {
      expect(await berth('suspend', 'shop')).toMatchObject({
        code: 0,
        stdout: 'source/shop suspended\n',
      });
      expect((await states.get('shop'))?.suspended).toBe(true);
      expect((await berth('status')).stdout).toMatch(/^shop\s.*\sOutOfSync\s+Suspended\s/m);
      const json = JSON.parse((await berth('status', 'shop', '-o', 'json')).stdout);
      expect(json.items[0]).toMatchObject({
        spec: { suspend: true },
        status: { health: { status: 'Suspended', reason: 'Suspended' } },
      });
      expect(await shopEvents()).toEqual(['Suspended']);
      expect((await berth('suspend', 'shop')).stdout).toBe('source/shop already suspended\n');
      expect(await shopEvents()).toEqual(['Suspended']);
      expect(await queue.getWaitingCount()).toBe(0);

      const resumed = await berth('resume', 'shop');
      expect(resumed).toMatchObject({
        code: 0,
        stdout: 'source/shop resumed; sync of bbbbbbb queued\n',
      });
      expect((await states.get('shop'))?.suspended).toBe(false);
      expect(await shopEvents()).toEqual(['Resumed', 'Suspended']);
      const waiting = await queue.getWaiting();
      expect(waiting.map((j) => j.data)).toEqual([{ key: `shop@${B}` }]);
      expect((await berth('status')).stdout).toMatch(/^shop\s.*\sOutOfSync\s+Healthy\s/m);
      const described = (await berth('describe', 'source', 'shop')).stdout;
      expect(described).toMatch(new RegExp(`^Target Revision:\\s+${B}$`, 'm'));
      expect(described).toMatch(/^Suspended:\s+false$/m);
      expect(described).toMatch(
        /^ {2}Normal\s+Suspended\s+\d+s\s+berth\s+Source shop suspended: new revisions are validated but not applied\n {2}Normal\s+Resumed\s+\d+s\s+berth\s+Source shop resumed$/m,
      );
    } finally {
      await queue.close();
    }
  });
});
