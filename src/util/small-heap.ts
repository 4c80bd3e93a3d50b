import v8 from 'node:v8';

/**
 * Makes V8 keep `berth up`'s heap close to what it holds, instead of growing it ahead of need,
 * for a long-running process that spends most of its time waiting:
 *   - `--semi-space-growth-factor=1`: the young generation stays at its initial 1 MiB
 *     semi-spaces instead of growing to 16 MiB each under allocation bursts (more, shorter
 *     scavenges; about 25 MiB less at peak);
 *   - `--optimize-for-size`: after a full collection V8 lets the old generation grow by a small
 *     factor instead of up to 4x what survived. With 1,000 objects the heap holds ~60 MiB while
 *     the process reached 270-280 MiB; with this 121-126 MiB, at the same first-apply and
 *     resync times (bench:scale, docs/benchmarks.md).
 * Call once, before the work starts; effective for the rest of the process (Node allows V8
 * flags at run time). `BERTH_V8_HEAP=default` leaves V8's defaults.
 */
export function useSmallHeap(env: NodeJS.ProcessEnv = process.env): void {
  if (env.BERTH_V8_HEAP === 'default') return;
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--optimize-for-size');
}
