import { describe, expect, it } from 'vitest';
import { stampConditions } from '../../../src/controllers/index.js';
import type { PodStatus } from '../../../src/node/index.js';

const status = (ready: boolean): PodStatus => ({
  phase: 'Running',
  conditions: [
    { type: 'PodScheduled', status: 'True' },
    { type: 'Ready', status: ready ? 'True' : 'False' },
  ],
  initContainerStatuses: [],
  containerStatuses: [],
});

describe('stampConditions', () => {
  it('keeps lastTransitionTime while a condition holds and moves it when it flips', () => {
    const t1 = new Date('2026-01-01T00:00:00Z');
    const t2 = new Date('2026-01-01T00:00:05Z');
    const first = stampConditions(status(false), undefined, t1);
    expect(first.conditions.map((c) => c.lastTransitionTime)).toEqual([
      t1.toISOString(),
      t1.toISOString(),
    ]);
    const same = stampConditions(status(false), first, t2);
    expect(same).toEqual(first);
    const flipped = stampConditions(status(true), first, t2);
    expect(flipped.conditions.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe(
      t2.toISOString(),
    );
    expect(flipped.conditions.find((c) => c.type === 'PodScheduled')?.lastTransitionTime).toBe(
      t1.toISOString(),
    );
  });
});
