// Throughput of no-op reconciles through Berth's work queue against raw bullmq add/process of
// the same number of jobs, measured in the same run on the same Redis.
//   npm run bench:queue [-- <keys> <concurrency>]      (defaults: 5000 keys, concurrency 8)
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { WorkQueue } from '../src/queue/index.js';

const REDIS_URL = process.env.BERTH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keys = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 8);
const prefix = `berth-bench:${randomBytes(4).toString('hex')}`;
const admin = new Redis(REDIS_URL);

function allDone(total: number): { hit: () => void; done: Promise<void> } {
  let n = 0;
  let resolve = () => {};
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  return {
    hit: () => {
      n += 1;
      if (n === total) resolve();
    },
    done,
  };
}

async function rawBullmq(run: string, n: number): Promise<number> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue(run, { connection, prefix });
  const counter = allDone(n);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      queue.add(`Pod/default/p${i}`, { key: `Pod/default/p${i}` }, { removeOnComplete: true }),
    ),
  );
  const workerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const worker = new Worker(run, async () => counter.hit(), {
    connection: workerConnection,
    prefix,
    concurrency,
  });
  await counter.done;
  const ms = performance.now() - t0;
  await worker.close();
  await queue.close();
  connection.disconnect();
  workerConnection.disconnect();
  return ms;
}

async function berthQueue(run: string, n: number): Promise<number> {
  const queue = await WorkQueue.open({
    name: run,
    redisUrl: REDIS_URL,
    keyPrefix: prefix,
    concurrency,
  });
  const counter = allDone(n);
  const t0 = performance.now();
  await queue.enqueueAll(Array.from({ length: n }, (_, i) => `Pod/default/p${i}`));
  queue.startWorker(async () => {
    counter.hit();
  });
  await counter.done;
  const ms = performance.now() - t0;
  await queue.close();
  return ms;
}

async function cleanup(): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (found.length > 0) await admin.del(...found);
  } while (cursor !== '0');
}

try {
  // Warm up both paths (script loading, JIT) before measuring.
  await rawBullmq('warm-raw', 500);
  await berthQueue('warm-berth', 500);
  const raw = await rawBullmq('raw', keys);
  const berth = await berthQueue('berth', keys);
  const rate = (ms: number) => Math.round((keys / ms) * 1000);
  console.log(`keys: ${keys}, concurrency: ${concurrency}`);
  console.log(`raw bullmq add+process:   ${raw.toFixed(0)} ms (${rate(raw)} jobs/s)`);
  console.log(`berth work queue:         ${berth.toFixed(0)} ms (${rate(berth)} reconciles/s)`);
  console.log(`ratio berth / raw bullmq: ${(berth / raw).toFixed(2)}x`);
} finally {
  await cleanup();
  admin.disconnect();
}
