import { randomBytes } from 'node:crypto';

/**
 * A short id unique to one test file's run: Berth instance names, Docker labels, Redis prefixes
 * and temp directories carry it, so concurrent runs and files on one host never collide.
 */
export function uniqueId(prefix = 't'): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/** The label every Docker object created by a test run carries (besides Berth's own). */
export const TEST_LABEL = 'io.berth.test-run';
