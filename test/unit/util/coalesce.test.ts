import { describe, expect, it } from 'vitest';
import { coalesce } from '../../../src/util/coalesce.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('coalesce', () => {
  it('a burst of calls during a run costs one more run, and each caller gets a run begun after its call', async () => {
    const starts: number[] = [];
    let state = 0;
    const gates = [gate(), gate()];
    const rebuild = coalesce(async (tag: string) => {
      const seen = state;
      starts.push(seen);
      await gates[starts.length - 1]?.opened;
      return `${tag}:${seen}`;
    });
    const first = rebuild('a');
    state = 1;
    const burst = [rebuild('b'), rebuild('c'), rebuild('d')];
    state = 2;
    const last = rebuild('e');
    gates[0]?.open();
    expect(await first).toBe('a:0');
    gates[1]?.open();
    // One run for the whole burst, with the newest arguments, started after every call in it.
    expect(await Promise.all([...burst, last])).toEqual(['e:2', 'e:2', 'e:2', 'e:2']);
    expect(starts).toEqual([0, 2]);
  });

  it('a failed run fails its callers only; the next run still happens', async () => {
    let calls = 0;
    const rebuild = coalesce(async () => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return calls;
    });
    const first = rebuild();
    const second = rebuild();
    await expect(first).rejects.toThrow('boom');
    expect(await second).toBe(2);
    expect(await rebuild()).toBe(3);
  });
});
