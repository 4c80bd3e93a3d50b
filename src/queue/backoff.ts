/** The retry-delay settings {@link backoffDelayMs} reads (from compiled queue options). */
export interface BackoffSettings {
  backoffBaseMs: number;
  backoffCapMs: number;
  backoffJitter: number;
}

/**
 * The delay before retry number `failures` (1 after the first failure): `base * 2^(failures-1)`
 * capped at `cap`, then shortened by up to `jitter` of itself (`random` in [0, 1)).
 * With the defaults: 1 s, 2 s, 4 s ... 256 s, then 300 s.
 */
export function backoffDelayMs(
  failures: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 52);
  const delay = Math.min(settings.backoffCapMs, settings.backoffBaseMs * 2 ** exponent);
  return Math.max(1, Math.round(delay * (1 - settings.backoffJitter * random())));
}
