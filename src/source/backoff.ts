/**
 * Delay before retry number `failures` (1 for the first retry): `baseMs` doubled per failure
 * in a row, capped at `maxMs`.
 */
export function retryDelayMs(failures: number, baseMs: number, maxMs: number): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  return Math.min(maxMs, baseMs * 2 ** exponent);
}
