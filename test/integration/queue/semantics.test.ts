import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { formatSyncKey, TerminalError, type WorkQueue } from '../../../src/queue/index.js';
import { eventually } from '../../harness/eventually.js';
import { useRedis } from '../../harness/redis.js';
import { CallCounter, gate, openQueue, waitForIdle } from './queue-fixture.js';

const redis = useRedis();
const opened: WorkQueue[] = [];
let n = 0;

async function queue(overrides = {}): Promise<WorkQueue> {
  const q = await openQueue(redis.prefix, `q${n++}`, overrides);
  opened.push(q);
  return q;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((q) => q.close()));
});

describe('one job per key', () => {
  it('enqueuing a waiting key again adds no job, and it is reconciled once', async () => {
    const q = await queue();
    await Promise.all(Array.from({ length: 30 }, () => q.enqueue('Deployment/default/web')));
    await q.enqueue('Service/default/web');
    expect(await q.counts()).toMatchObject({ waiting: 2 });

    const calls = new CallCounter();
    q.startWorker(async (_ctx, key) => {
      calls.hit(key);
    });
    await waitForIdle(q);
    expect(calls.get('Deployment/default/web')).toBe(1);
    expect(calls.get('Service/default/web')).toBe(1);
    expect(await q.status('Deployment/default/web')).toMatchObject({
      phase: 'succeeded',
      reconciles: 1,
      failures: 0,
    });
  });

  it('gives one sync job per (source, revision)', async () => {
    const q = await queue();
    const a = formatSyncKey({ source: 'shop', revision: 'a'.repeat(40) });
    const b = formatSyncKey({ source: 'shop', revision: 'b'.repeat(40) });
    await q.enqueue(a);
    await q.enqueue(a);
    expect(await q.counts()).toMatchObject({ waiting: 1 });
    await q.enqueue(b);
    expect(await q.counts()).toMatchObject({ waiting: 2 });
    const seen: string[] = [];
    q.startWorker(async (_ctx, key) => {
      seen.push(key);
    });
    await waitForIdle(q);
    expect(seen.sort()).toEqual([a, b]);
  });
});

describe('an update during a reconcile', () => {
  it('causes exactly one more reconcile, however many arrive', async () => {
    const q = await queue({ concurrency: 4 });
    const key = 'Deployment/default/web';
    const hold = gate();
    const started = gate();
    const calls = new CallCounter();
    q.startWorker(async (_ctx, k) => {
      if (calls.hit(k) === 1) {
        started.open();
        await hold.promise;
      }
    });
    await q.enqueue(key);
    await started.promise;
    await Promise.all(Array.from({ length: 50 }, () => q.enqueue(key)));
    hold.open();
    await eventually(() => calls.get(key) === 2, { what: 'the second reconcile' });
    await waitForIdle(q);
    await sleep(300);
    expect(calls.get(key)).toBe(2);
    expect(await q.status(key)).toMatchObject({ phase: 'succeeded', reconciles: 2 });
  });

  it('is never lost nor doubled under many concurrent enqueues (sequence-number proof)', async () => {
    const q = await queue({ concurrency: 8 });
    const keys = ['Pod/a/p0', 'Pod/a/p1', 'Pod/a/p2', 'Pod/a/p3'];
    const seqKey = `${redis.prefix}:test:seq`;
    const seq = () => redis.client.incr(seqKey);
    type Span = { start: number; end: number };
    const reconciles = new Map<string, Span[]>(keys.map((k) => [k, []]));
    const enqueues = new Map<string, Span[]>(keys.map((k) => [k, []]));
    const inflight = new Map<string, number>();
    let overlaps = 0;
    q.startWorker(async (_ctx, key) => {
      inflight.set(key, (inflight.get(key) ?? 0) + 1);
      if ((inflight.get(key) ?? 0) > 1) overlaps++;
      const start = await seq();
      await sleep(Math.random() * 8);
      const end = await seq();
      inflight.set(key, (inflight.get(key) ?? 0) - 1);
      reconciles.get(key)?.push({ start, end });
    });
    // 8 producers, each enqueuing random keys 60 times with random pauses.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 60; i++) {
          const key = keys[Math.floor(Math.random() * keys.length)] as string;
          const start = await seq(); // the "update" is written before this point
          await q.enqueue(key);
          const end = await seq();
          enqueues.get(key)?.push({ start, end });
          if (Math.random() < 0.3) await sleep(Math.random() * 5);
        }
      }),
    );
    await waitForIdle(q);
    await sleep(200);
    expect(overlaps).toBe(0);
    for (const key of keys) {
      const rs = (reconciles.get(key) ?? []).sort((a, b) => a.start - b.start);
      const es = enqueues.get(key) ?? [];
      // None lost: every enqueue is followed by a reconcile that started after the update.
      for (const e of es)
        expect(
          rs.some((r) => r.start > e.start),
          `lost ${key} ${e.start}`,
        ).toBe(true);
      // One at a time: each reconcile ends before the next starts.
      for (let i = 1; i < rs.length; i++) {
        expect((rs[i - 1] as Span).end, `overlap ${key}`).toBeLessThan((rs[i] as Span).start);
      }
      // None doubled: reconcile k (k >= 2) exists only because an update arrived after reconcile
      // k-1 was dequeued. The dequeue is not observable here (the handler's first sequence number
      // comes later, and an update may land in between: that one rightly earns one more
      // reconcile), but it follows the end of reconcile k-2. So each reconcile k >= 2 needs its
      // own enqueue that ended after reconcile k-2 ended and started before reconcile k started.
      // (The exact count is proven by the test above.)
      expect(unjustified(rs, es), `doubled ${key}`).toEqual([]);
      expect(rs.length).toBeLessThanOrEqual(es.length);
    }
  });
});

describe('failures', () => {
  it('retry with capped exponential backoff, then reset on success', async () => {
    const q = await queue({ backoffBaseMs: 100, backoffCapMs: 250 });
    const key = 'Deployment/default/flaky';
    const starts: number[] = [];
    const attempts: number[] = [];
    q.startWorker(async (ctx) => {
      starts.push(Date.now());
      attempts.push(ctx.attempt);
      if (starts.length <= 4) throw new Error(`boom ${starts.length}`);
    });
    await q.enqueue(key);
    await eventually(() => starts.length === 5, { what: 'four retries' });
    await waitForIdle(q);
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] as number));
    // 100, 200, then capped at 250: each gap is at least its delay.
    expect(gaps[0]).toBeGreaterThanOrEqual(95);
    expect(gaps[1]).toBeGreaterThanOrEqual(195);
    expect(gaps[2]).toBeGreaterThanOrEqual(245);
    expect(gaps[3]).toBeGreaterThanOrEqual(245);
    expect(await q.status(key)).toMatchObject({ phase: 'succeeded', failures: 0, reconciles: 5 });
    expect((await q.status(key))?.lastError).toBeUndefined();
  });

  it('records the last error and consecutive failures while retrying', async () => {
    const q = await queue({ backoffBaseMs: 60_000, backoffCapMs: 60_000 });
    const key = 'ConfigMap/default/cfg';
    q.startWorker(async () => {
      throw new Error('docker said no');
    });
    await q.enqueue(key);
    await eventually(async () => (await q.status(key))?.phase === 'retrying', {
      what: 'a failure',
    });
    expect(await q.status(key)).toMatchObject({
      phase: 'retrying',
      failures: 1,
      lastError: 'docker said no',
      nextDelayMs: 60_000,
    });
    expect(await q.counts()).toMatchObject({ delayed: 1, waiting: 0, active: 0 });
  });

  it('an update during a failing reconcile is retried at once, not after the backoff', async () => {
    const q = await queue({ backoffBaseMs: 60_000, backoffCapMs: 60_000 });
    const key = 'Deployment/default/web';
    const hold = gate();
    const started = gate();
    const calls = new CallCounter();
    q.startWorker(async () => {
      if (calls.hit(key) === 1) {
        started.open();
        await hold.promise;
        throw new Error('first attempt fails');
      }
    });
    await q.enqueue(key);
    await started.promise;
    await q.enqueue(key);
    hold.open();
    await eventually(() => calls.get(key) === 2, { what: 'the retry', timeout: 10_000 });
    await waitForIdle(q);
    await sleep(300);
    expect(calls.get(key)).toBe(2);
    expect(await q.status(key)).toMatchObject({ phase: 'succeeded', failures: 0 });
  });

  it('an enqueue pulls a key waiting for its retry forward', async () => {
    const q = await queue({ backoffBaseMs: 60_000, backoffCapMs: 60_000 });
    const key = 'Deployment/default/web';
    const calls = new CallCounter();
    q.startWorker(async () => {
      if (calls.hit(key) === 1) throw new Error('fails once');
    });
    await q.enqueue(key);
    await eventually(async () => (await q.status(key))?.phase === 'retrying', {
      what: 'the failure',
    });
    await q.enqueue(key);
    await eventually(() => calls.get(key) === 2, { what: 'the early retry', timeout: 10_000 });
    expect(await q.status(key)).toMatchObject({ phase: 'succeeded', failures: 0 });
  });

  it('a TerminalError is recorded as failed and never retried; a new enqueue runs it again', async () => {
    const q = await queue({ backoffBaseMs: 50, backoffCapMs: 50 });
    const key = 'Deployment/default/invalid';
    const calls = new CallCounter();
    q.startWorker(async () => {
      calls.hit(key);
      throw new TerminalError('spec.replicas: expected an integer, found "three"', {
        field: 'spec.replicas',
      });
    });
    await q.enqueue(key);
    await eventually(async () => (await q.status(key))?.phase === 'failed', {
      what: 'the failure',
    });
    await sleep(500); // ten backoff periods: a retry would have run
    expect(calls.get(key)).toBe(1);
    expect(await q.status(key)).toMatchObject({
      phase: 'failed',
      failures: 1,
      lastErrorCode: 'Terminal',
      lastError: 'spec.replicas: expected an integer, found "three"',
    });
    expect(await q.counts()).toMatchObject({ waiting: 0, delayed: 0, active: 0, failed: 1 });
    await q.enqueue(key);
    await eventually(() => calls.get(key) === 2, { what: 'the new reconcile' });
  });

  it('stops after maxAttempts and records the key as failed', async () => {
    const q = await queue({ maxAttempts: 3 });
    const key = 'Pod/default/crash';
    const calls = new CallCounter();
    q.startWorker(async () => {
      calls.hit(key);
      throw new Error('still broken');
    });
    await q.enqueue(key);
    await eventually(async () => (await q.status(key))?.phase === 'failed', {
      what: 'the final failure',
    });
    await sleep(500);
    expect(calls.get(key)).toBe(3);
    expect(await q.status(key)).toMatchObject({ failures: 3, lastError: 'still broken' });
  });
});

describe('requeueAfter', () => {
  it('reconciles the key again after the delay', async () => {
    const q = await queue();
    const key = 'Deployment/default/rollout';
    const calls = new CallCounter();
    q.startWorker(async () => {
      const n = calls.hit(key);
      return n < 3 ? { requeueAfterMs: 100 } : {};
    });
    await q.enqueue(key);
    await eventually(() => calls.get(key) === 3, { what: 'three reconciles' });
    await waitForIdle(q);
    await sleep(300);
    expect(calls.get(key)).toBe(3);
    expect((await q.status(key))?.nextDelayMs).toBeUndefined();
  });

  it('an enqueue during the delay reconciles at once', async () => {
    const q = await queue();
    const key = 'Deployment/default/rollout';
    const calls = new CallCounter();
    q.startWorker(async () => {
      calls.hit(key);
      return { requeueAfterMs: 60_000 };
    });
    await q.enqueue(key);
    await eventually(async () => (await q.counts()).delayed === 1, { what: 'the requeue' });
    expect(await q.status(key)).toMatchObject({ nextDelayMs: 60_000 });
    await q.enqueue(key);
    await eventually(() => calls.get(key) === 2, { what: 'the early reconcile', timeout: 10_000 });
    await eventually(async () => (await q.counts()).delayed === 1, { what: 'the next requeue' });
    expect(await q.counts()).toMatchObject({ waiting: 0, delayed: 1 });
  });
});

/**
 * The reconciles (k >= 2) that no distinct enqueue explains: matched greedily, each takes the
 * earliest-ending unused enqueue that ended after reconcile k-2 ended and started before it.
 */
function unjustified(
  rs: ReadonlyArray<{ start: number; end: number }>,
  es: ReadonlyArray<{ start: number; end: number }>,
): number[] {
  const free = [...es].sort((a, b) => a.end - b.end);
  const missing: number[] = [];
  for (let k = 1; k < rs.length; k++) {
    const after = k >= 2 ? (rs[k - 2] as { end: number }).end : Number.NEGATIVE_INFINITY;
    const before = (rs[k] as { start: number }).start;
    const i = free.findIndex((e) => e.end > after && e.start < before);
    if (i < 0) missing.push(k);
    else free.splice(i, 1);
  }
  return missing;
}
