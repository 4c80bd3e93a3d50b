// A Berth worker in its own process, for the cross-process and kill -9 tests. Run with
// `node --import tsx worker-process.ts`; configured by environment; prints "ready" once
// consuming, and closes gracefully on SIGTERM.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { WorkQueue } from '../../../src/queue/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const prefix = env('QUEUE_TEST_PREFIX');
const mode = env('QUEUE_TEST_MODE');
const redisUrl = env('QUEUE_TEST_REDIS_URL');
const queueName = env('QUEUE_TEST_NAME');
// Test records live under the queue's name, so tests in one file do not see each other's.
const t = (name: string) => `${prefix}:test:${queueName}:${name}`;

const MAX_SCRIPT = `local g = redis.call('INCR', KEYS[1])
if g > tonumber(redis.call('GET', KEYS[2]) or '0') then redis.call('SET', KEYS[2], g) end
return g`;

const redis = new Redis(redisUrl);
const queue = await WorkQueue.open({
  name: queueName,
  redisUrl,
  keyPrefix: prefix,
  concurrency: Number(env('QUEUE_TEST_CONCURRENCY')),
  lockDurationMs: 2000,
  stalledIntervalMs: 500,
});

const worker = queue.startWorker(async (_ctx, key) => {
  await redis.sadd(t('pids'), String(process.pid));
  if (mode === 'overlap') {
    // Records a second reconcile of a key entering while one runs, and the peak parallelism.
    if ((await redis.incr(t(`inflight:${key}`))) > 1) await redis.incr(t('overlaps'));
    await redis.eval(MAX_SCRIPT, 2, t('running'), t('peak'));
    await sleep(2 + Math.random() * 10);
    await redis.decr(t('running'));
    await redis.decr(t(`inflight:${key}`));
    await redis.hincrby(t('done'), key, 1);
  } else {
    // "slow": announces the start, then takes three seconds (time enough to be killed).
    await redis.rpush(t('started'), key);
    await sleep(3000);
    await redis.hincrby(t('done'), key, 1);
  }
});
await worker.ready();
process.stdout.write('ready\n');

process.on('SIGTERM', async () => {
  await queue.close();
  redis.disconnect();
  process.exit(0);
});
