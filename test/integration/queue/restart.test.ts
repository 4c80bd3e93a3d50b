import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReconcileContext } from '../../../src/queue/index.js';
import { eventually } from '../../harness/eventually.js';
import { useRedis } from '../../harness/redis.js';
import { startWorkerProcess, stopProcess, type WorkerProcess } from './process-fixture.js';
import { CallCounter, gate, openQueue, waitForIdle } from './queue-fixture.js';

const redis = useRedis();
const t = (queue: string, name: string) => `${redis.prefix}:test:${queue}:${name}`;
const children: WorkerProcess[] = [];

afterAll(async () => {
  await Promise.all(children.map((c) => stopProcess(c, 'SIGKILL')));
});

describe('restart', () => {
  it('keeps the queued work across a graceful restart; each key is reconciled once', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `Pod/default/p${i}`);
    const started = new CallCounter();
    const finished = new CallCounter();
    const reconcile = async (_ctx: ReconcileContext, key: string) => {
      started.hit(key);
      await sleep(60);
      finished.hit(key);
    };
    const first = await openQueue(redis.prefix, 'graceful', { concurrency: 2 });
    await first.enqueueAll(keys);
    first.startWorker(reconcile);
    await eventually(() => finished.total() >= 3, { what: 'some progress' });
    await first.close();
    // Closing let the reconciles in progress finish and took nothing more.
    expect(finished.total()).toBe(started.total());
    const left = keys.length - finished.total();
    expect(left).toBeGreaterThan(0);

    const second = await openQueue(redis.prefix, 'graceful', { concurrency: 2 });
    try {
      expect(await second.counts()).toMatchObject({ waiting: left, active: 0 });
      second.startWorker(reconcile);
      await waitForIdle(second);
      for (const key of keys) expect(finished.get(key)).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('picks up a reconcile whose worker process was killed with -9', async () => {
    const q = await openQueue(redis.prefix, 'killed', { concurrency: 4 });
    try {
      const child = await startWorkerProcess(redis.prefix, 'killed', 'slow', 1);
      children.push(child);
      await q.enqueueAll(['Pod/default/a', 'Pod/default/b', 'Pod/default/c']);
      await eventually(async () => (await redis.client.llen(t('killed', 'started'))) === 1, {
        what: 'the child to start a reconcile',
      });
      const orphan = (await redis.client.lindex(t('killed', 'started'), 0)) as string;
      await stopProcess(child, 'SIGKILL');
      expect(await q.counts()).toMatchObject({ active: 1, waiting: 2 });

      // A new worker (a restarted Berth) finds the orphan once its lock expires.
      const calls = new CallCounter();
      q.startWorker(async (_ctx, key) => {
        calls.hit(key);
      });
      await waitForIdle(q);
      expect(calls.get(orphan)).toBe(1);
      for (const key of ['Pod/default/a', 'Pod/default/b', 'Pod/default/c']) {
        expect(await q.status(key)).toMatchObject({ phase: 'succeeded' });
      }
      expect((await q.status(orphan))?.reconciles).toBe(2);
      expect(await redis.client.hlen(t('killed', 'done'))).toBe(0);
    } finally {
      await q.close();
    }
  });

  it('a worker process closed by SIGTERM finishes its reconcile first', async () => {
    const q = await openQueue(redis.prefix, 'term', { concurrency: 1 });
    try {
      const child = await startWorkerProcess(redis.prefix, 'term', 'slow', 1);
      children.push(child);
      await q.enqueueAll(['Pod/default/x', 'Pod/default/y']);
      await eventually(async () => (await redis.client.llen(t('term', 'started'))) >= 1, {
        what: 'a reconcile to start',
      });
      const running = (await redis.client.lindex(t('term', 'started'), -1)) as string;
      await stopProcess(child, 'SIGTERM');
      expect(await redis.client.hget(t('term', 'done'), running)).toBe('1');
      expect(await q.counts()).toMatchObject({ active: 0, waiting: 1 });
      expect(await q.status(running)).toMatchObject({ phase: 'succeeded' });
    } finally {
      await q.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('stops taking keys and lets the current reconcile finish', async () => {
    const q = await openQueue(redis.prefix, 'drain', { concurrency: 1 });
    const hold = gate();
    const started = gate();
    const calls = new CallCounter();
    let finished = false;
    q.startWorker(async (_ctx, key) => {
      calls.hit(key);
      started.open();
      await hold.promise;
      finished = true;
    });
    await q.enqueue('Pod/default/current');
    await started.promise;
    const closing = q.close();
    await q.enqueue('Pod/default/next').catch(() => {});
    await sleep(200);
    expect(finished).toBe(false);
    hold.open();
    await closing;
    expect(finished).toBe(true);
    expect(calls.get('Pod/default/next')).toBe(0);
    const reopened = await openQueue(redis.prefix, 'drain');
    try {
      expect(await reopened.counts()).toMatchObject({ waiting: 1, active: 0 });
      expect(await reopened.status('Pod/default/current')).toMatchObject({ phase: 'succeeded' });
    } finally {
      await reopened.close();
    }
  });

  it('is bounded: past shutdownTimeoutMs the reconcile is aborted and retried by the next worker', async () => {
    const q = await openQueue(redis.prefix, 'bounded', { shutdownTimeoutMs: 200 });
    const started = gate();
    let aborted = false;
    q.startWorker(async (ctx) => {
      started.open();
      await new Promise<void>((_resolve, reject) => {
        ctx.signal.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('aborted by shutdown'));
        });
      });
    });
    await q.enqueue('Pod/default/long');
    await started.promise;
    await q.close();
    expect(aborted).toBe(true);

    const next = await openQueue(redis.prefix, 'bounded');
    try {
      const calls = new CallCounter();
      next.startWorker(async (_ctx, key) => {
        calls.hit(key);
      });
      await eventually(() => calls.get('Pod/default/long') === 1, { what: 'the retry' });
      await waitForIdle(next);
      expect(await next.status('Pod/default/long')).toMatchObject({
        phase: 'succeeded',
        reconciles: 2,
      });
    } finally {
      await next.close();
    }
  });

  it('returns even when a reconcile ignores the abort; the key is taken over after the lock expires', async () => {
    const q = await openQueue(redis.prefix, 'stuck', { shutdownTimeoutMs: 100 });
    const started = gate();
    const never = gate();
    q.startWorker(async () => {
      started.open();
      await never.promise;
    });
    await q.enqueue('Pod/default/stuck');
    await started.promise;
    await q.close();

    const next = await openQueue(redis.prefix, 'stuck');
    try {
      const calls = new CallCounter();
      next.startWorker(async (_ctx, key) => {
        calls.hit(key);
      });
      await eventually(() => calls.get('Pod/default/stuck') === 1, { what: 'the takeover' });
      expect(await next.status('Pod/default/stuck')).toMatchObject({ phase: 'succeeded' });
    } finally {
      never.open();
      await next.close();
    }
  });
});
