import { afterAll, expect, it } from 'vitest';
import { useRedis } from '../../harness/redis.js';
import { startWorkerProcess, stopProcess, type WorkerProcess } from './process-fixture.js';
import { openQueue, waitForIdle } from './queue-fixture.js';

const redis = useRedis();
const t = (name: string) => `${redis.prefix}:test:reconcile:${name}`;
const workers: WorkerProcess[] = [];

afterAll(async () => {
  await Promise.all(workers.map((w) => stopProcess(w, 'SIGKILL')));
});

it('never reconciles a key in two worker processes at once, while both share the work', async () => {
  const q = await openQueue(redis.prefix, 'reconcile');
  try {
    workers.push(
      ...(await Promise.all(
        [1, 2].map(() => startWorkerProcess(redis.prefix, 'reconcile', 'overlap', 4)),
      )),
    );
    const keys = Array.from({ length: 12 }, (_, i) => `Pod/default/p${i}`);
    // 600 enqueues in bursts, many landing while their key is being reconciled elsewhere.
    for (let burst = 0; burst < 20; burst++) {
      await Promise.all(
        Array.from({ length: 30 }, () =>
          q.enqueue(keys[Math.floor(Math.random() * keys.length)] as string),
        ),
      );
      await new Promise((r) => setTimeout(r, Math.random() * 15));
    }
    await waitForIdle(q, 60_000);
    await new Promise((r) => setTimeout(r, 300));

    expect(Number((await redis.client.get(t('overlaps'))) ?? 0)).toBe(0);
    expect(await redis.client.scard(t('pids'))).toBe(2);
    expect(Number(await redis.client.get(t('peak')))).toBeGreaterThan(1);
    const done = await redis.client.hgetall(t('done'));
    for (const key of keys) expect(Number(done[key] ?? 0)).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      const s = await q.status(key);
      expect(s?.phase).toBe('succeeded');
      expect(s?.reconciles).toBe(Number(done[key]));
    }
  } finally {
    await q.close();
  }
});
