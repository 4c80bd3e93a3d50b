import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { compileConfig, type SourceConfig } from '../../../src/config/index.js';
import {
  LeaseCampaign,
  LeaseLostError,
  RedisLease,
  readInstanceLeases,
  thisProcess,
} from '../../../src/lease/index.js';
import { rollbackSource } from '../../../src/rollback/index.js';
import { HistoryStore, SourceStateStore } from '../../../src/store/index.js';
import { createLogger } from '../../../src/util/logger.js';
import { eventually } from '../../harness/eventually.js';
import { commitFiles, git, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';

/** Blocks this thread (timers, I/O, everything) for `ms`: a holder paused by GC, SIGSTOP or a VM. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const entry = (revision: string) => ({
  revision,
  subject: revision,
  author: 'a',
  committedAt: new Date().toISOString(),
  seenAt: new Date().toISOString(),
  trigger: 'watch' as const,
  result: 'Valid' as const,
  errors: 0,
  reverts: [],
});

describe('leases: fencing tokens, renewal, a paused holder', () => {
  const redis = useRedis();
  const dir = useTempDir();
  const holder = (pid: number) => ({ ...thisProcess('node-a'), pid });

  it('one holder at a time; tokens strictly increase; a renewed lease outlives its ttl', async () => {
    const key = `${redis.prefix}:basic`;
    const a = new RedisLease({ redis: redis.client, key, holder: holder(1), ttlMs: 600 });
    const b = new RedisLease({ redis: redis.client, key, holder: holder(2), ttlMs: 600 });
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);
    const first = a.token() as number;
    // Renewed every 200 ms: still A's well past 600 ms.
    await sleep(1_500);
    expect(a.held()).toBe(true);
    expect(await b.acquire()).toBe(false);
    expect(await RedisLease.read(redis.client, key)).toMatchObject({ pid: 1, token: first });
    await a.release();
    expect(await b.acquire()).toBe(true);
    expect(b.token()).toBe(first + 1);
    await b.release();
    expect(await RedisLease.read(redis.client, key)).toBeUndefined();
  });

  it('a paused holder cannot write after another took over: the fenced write and the check are refused', async () => {
    const key = `${redis.prefix}:paused`;
    const lost: LeaseLostError[] = [];
    const a = new RedisLease({
      redis: redis.client,
      key,
      holder: holder(1),
      ttlMs: 500,
      onLost: (err) => lost.push(err),
    });
    const b = new RedisLease({ redis: redis.client, key, holder: holder(2), ttlMs: 5_000 });
    const history = new HistoryStore(redis.client, `${redis.prefix}:h`);
    const states = new SourceStateStore(redis.client, `${redis.prefix}:h`);
    expect(await a.acquire()).toBe(true);
    const stale = a.fence();
    await history.record('shop', entry('r1'), stale);
    // A stops dead (no timer runs) past its lease; B takes the lease before A's timers run again.
    pause(1_200);
    const tookOver = b.acquire();
    const writeA = history.record('shop', entry('r2-from-a'), stale);
    const stateA = states.update('shop', { target: 'r2-from-a' }, stale);
    const checkA = a.check();
    const [took, ...refused] = await Promise.allSettled([tookOver, writeA, stateA, checkA]);
    expect(took).toEqual({ status: 'fulfilled', value: true });
    for (const r of refused) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(LeaseLostError);
    }
    expect(b.token()).toBe(stale.token + 1);
    // B's writes go through; A's never landed.
    await history.record('shop', entry('r2-from-b'), b.fence());
    expect((await history.list('shop')).map((e) => e.revision)).toEqual(['r2-from-b', 'r1']);
    expect(await states.get('shop')).toBeUndefined();
    await eventually(() => lost.length === 1, { what: 'A to learn it lost the lease' });
    expect(a.held()).toBe(false);
    await b.release();
  });

  it('a fenced write after the lease expired (nobody holds it) is refused too', async () => {
    const key = `${redis.prefix}:expired`;
    const a = new RedisLease({ redis: redis.client, key, holder: holder(1), ttlMs: 300 });
    expect(await a.acquire()).toBe(true);
    const fence = a.fence();
    pause(700);
    const history = new HistoryStore(redis.client, `${redis.prefix}:e`);
    await expect(history.record('shop', entry('late'), fence)).rejects.toMatchObject({
      code: 'LeaseLost',
      message: expect.stringContaining('expired'),
    });
    expect(await history.list('shop')).toEqual([]);
  });

  it('the history records a revision once when a restart or a new leader sees the same head again', async () => {
    const history = new HistoryStore(redis.client, `${redis.prefix}:once`);
    await history.record('shop', entry('r1'));
    await history.record('shop', entry('r2'));
    await history.record('shop', entry('r2'));
    expect((await history.list('shop')).map((e) => e.revision)).toEqual(['r2', 'r1']);
  });

  it('a campaign: one leads, the other stands by and takes over when the leader stops renewing', async () => {
    const key = `${redis.prefix}:campaign`;
    const log = createLogger({ level: 'silent' });
    const events: string[] = [];
    const make = (name: string, pid: number) =>
      new LeaseCampaign({
        redis: redis.client,
        key,
        holder: holder(pid),
        ttlMs: 600,
        retryMs: 100,
        role: 'leader',
        logger: log,
        lead: async (fence) => {
          events.push(`${name} leads ${fence.token}`);
        },
        abdicate: async (why) => {
          events.push(`${name} stops: ${why}`);
        },
      });
    const a = make('a', 1);
    const b = make('b', 2);
    expect(await a.start()).toBe(true);
    expect(await b.start()).toBe(false);
    await sleep(1_000);
    expect(b.isLeading()).toBe(false);
    // A "dies": its lease is no longer renewed (deleted as the expiry would).
    const [first] = events;
    await a.stop();
    await eventually(() => b.isLeading(), { what: 'b to take over' });
    const token = Number(first?.split(' ')[2]);
    expect(events).toEqual([`a leads ${token}`, 'a stops: stopping', `b leads ${token + 1}`]);
    const leases = await readInstanceLeases(redis.client, redis.prefix);
    expect(leases.leader).toBeUndefined(); // its key is not the instance's leader key
    await b.stop();
  });

  it('a revert is committed once: the old leader is refused before the write, the new one finds the revert made', async () => {
    const repo = await initRepo(path.join(dir, 'repo'));
    const source = compileConfig({ env: {}, cwd: dir, source: { name: 'shop', repo: './repo' } })
      .sources[0] as SourceConfig;
    const good = await commitFiles(repo, { 'cm.yaml': 'v: good\n' }, 'Good');
    const bad = await commitFiles(repo, { 'cm.yaml': 'v: bad\n' }, 'Bad');
    const key = `${redis.prefix}:git`;
    const a = new RedisLease({ redis: redis.client, key, holder: holder(1), ttlMs: 300 });
    const b = new RedisLease({ redis: redis.client, key, holder: holder(2), ttlMs: 5_000 });
    expect(await a.acquire()).toBe(true);
    pause(700);
    expect(await b.acquire()).toBe(true);
    const stateDir = path.join(dir, 'state');
    await expect(
      rollbackSource({ source, stateDir, to: good, bad, beforeWrite: () => a.check() }),
    ).rejects.toMatchObject({ code: 'LeaseLost' });
    expect(await git(repo, 'rev-parse', 'main')).toBe(bad);
    const made = await rollbackSource({
      source,
      stateDir,
      to: good,
      bad,
      beforeWrite: () => b.check(),
    });
    expect(made.existing).toBeUndefined();
    expect(readFileSync(path.join(repo, 'cm.yaml'), 'utf8')).toBe('v: good\n');
    // The job runs again (the leader died before it was marked done): nothing more is committed.
    const again = await rollbackSource({ source, stateDir, to: good, bad });
    expect(again).toMatchObject({ existing: true, commit: made.commit });
    expect(await git(repo, 'rev-parse', 'main')).toBe(made.commit);
    expect(await git(repo, 'log', '--format=%s')).toBe('Revert "Bad"\nBad\nGood');
    await b.release();
  });
});
