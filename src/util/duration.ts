import { BerthError } from './berth-error.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;

/**
 * Parses a Go-style duration ("500ms", "30s", "5m", "1h30m") into milliseconds, the form
 * Kubernetes and Flux users already write. A bare number is taken as seconds.
 */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') return Math.round(text * 1000);
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = PART.exec(trimmed); m !== null; m = PART.exec(trimmed)) {
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
    consumed = PART.lastIndex;
  }
  if (consumed === 0 || consumed !== trimmed.length) {
    throw new BerthError(
      'InvalidDuration',
      `"${text}" is not a duration: expected a number with a unit, like 500ms, 30s, 5m or 1h30m`,
      { value: text },
    );
  }
  return Math.round(total);
}
