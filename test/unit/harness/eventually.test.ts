import { describe, expect, it } from 'vitest';
import { consistently, eventually } from '../../harness/eventually.js';

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

describe('consistently', () => {
  it('checks until the time is up when every check passes', async () => {
    let n = 0;
    const start = Date.now();
    await consistently(
      () => {
        n++;
        expect(n).toBeGreaterThan(0);
      },
      { for: 60, interval: 5 },
    );
    expect(Date.now() - start).toBeGreaterThanOrEqual(60);
    expect(n).toBeGreaterThan(2);
  });

  it('fails at the first failed check, naming what held and for how long, with the cause', async () => {
    let n = 0;
    const failure = await consistently(
      () => {
        n++;
        expect(n).toBeLessThan(3);
      },
      { for: 10_000, interval: 1, what: 'the count to stay small' },
    ).catch((err: Error) => err);
    expect(n).toBe(3);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /^the count to stay small held for \d+ ms of 10000 ms, then: expected 3 to be less than 3/,
    );
    expect((failure as Error).cause).toBeInstanceOf(Error);
  });

  it('fails when the function returns false', async () => {
    await expect(consistently(() => false, { for: 1000 })).rejects.toThrow('a condition held for');
  });
});
