import { describe, expect, it } from 'vitest';
import { eventually } from '../../harness/eventually.js';

describe('eventually', () => {
  it('returns the first value that is not undefined, null or false (0 and "" are values)', async () => {
    let n = 0;
    const values = [undefined, null, false, 0];
    expect(await eventually(() => values[n++], { interval: 1 })).toBe(0);
    expect(n).toBe(4);
    expect(await eventually(async () => '', { interval: 1 })).toBe('');
  });

  it('retries while the function throws, as a failed expect does', async () => {
    let n = 0;
    const value = await eventually(
      () => {
        n++;
        expect(n).toBeGreaterThan(2);
        return n;
      },
      { interval: 1 },
    );
    expect(value).toBe(3);
  });

  it('times out naming what it waited for, with the last error as message and cause', async () => {
    let n = 0;
    const failure = await eventually(
      () => {
        n++;
        throw new Error(`attempt ${n} failed`);
      },
      { what: 'the pod to run', timeout: 30, interval: 5 },
    ).catch((err: Error) => err);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^timed out after 30 ms \\(${n} tries\\) waiting for the pod to run: attempt ${n} failed$`,
      ),
    );
    expect(((failure as Error).cause as Error).message).toBe(`attempt ${n} failed`);
  });

  it('says what the function last returned when it never failed but never succeeded', async () => {
    await expect(eventually(() => false, { what: 'x', timeout: 10, interval: 2 })).rejects.toThrow(
      /waiting for x: it returned false$/,
    );
  });
});
