import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const variant = process.argv[2];
const prefix = `berth-bench:prof${Date.now()}`;
const queue = new Queue('r', { connection: new Redis({ maxRetriesPerRequest: null }), prefix });
const n = 5000;
let c = 0;
let done: () => void = () => {};
const p = new Promise<void>((r) => {
  done = r;
});
const opts = (k: string): any =>
  variant === 'dedup'
    ? { deduplication: { id: k, keepLastIfActive: true, reschedule: true }, removeOnComplete: true }
    : variant === 'attempts'
      ? {
          attempts: 2147483647,
          backoff: { type: 'berth' },
          removeOnComplete: true,
          removeOnFail: { count: 1000 },
        }
      : { removeOnComplete: true };
await Promise.all(
  Array.from({ length: n }, (_, i) =>
    queue.add(`p${i}`, { key: `p${i}` }, opts(`Pod/default/p${i}`)),
  ),
);
const t0 = performance.now();
const w = new Worker(
  'r',
  async () => {
    if (++c === n) done();
  },
  { connection: new Redis({ maxRetriesPerRequest: null }), prefix, concurrency: 8 },
);
await p;
console.log(variant, 'process', Math.round(performance.now() - t0));
await w.close();
await queue.obliterate({ force: true });
await queue.close();
