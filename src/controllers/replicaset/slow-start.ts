/** An async operation Kubernetes' slowStartBatch runs `count` times. */
export type BatchCall = () => Promise<void>;

/**
 * Kubernetes' slowStartBatch: calls `fn` `count` times in batches of 1, 2, 4, ... (starting at
 * `initialBatchSize`), each batch at once, stopping after the first batch with an error.
 * Returns how many calls succeeded and the first error.
 */
export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: BatchCall,
): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; ) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += results.filter((r) => r.status === 'fulfilled').length;
    if (failed) return { successes, error: failed.reason };
    remaining -= batch;
    batch = Math.min(2 * batch, remaining);
  }
  return { successes };
}
