import { describe, expect, it } from 'vitest';
import { daemonSetStatus, daemonSetStep } from '../../../src/controllers/daemonset/index.js';
import { cases, pod } from './fixture.js';

interface Input {
  strategy?: 'OnDelete';
  maxSurge?: number;
  pods: Array<[string, string, string, boolean]>;
}

describe('daemonSetStep (one pod on the one host)', () => {
  it.each(cases<Input>('daemonset-step'))('%s', (_name, { input, expect: expected }) => {
    const step = daemonSetStep({
      revision: 'r2',
      strategy:
        input.strategy === 'OnDelete'
          ? { type: 'OnDelete' }
          : { type: 'RollingUpdate', maxSurge: input.maxSurge ?? 0, maxUnavailable: 1 },
      pods: input.pods.map(([name, revision, phase, available], i) => ({
        ...pod(name, phase, available),
        createdAt: `2025-01-01T00:00:0${i}Z`,
        revision,
        available,
      })),
    });
    expect(step).toEqual(expected);
  });
});

describe('daemonSetStatus', () => {
  it('desires one pod and counts the host once however many pods it has', () => {
    expect(
      daemonSetStatus(3, [
        { ready: true, available: true, updated: false },
        { ready: false, available: false, updated: true },
      ]),
    ).toEqual({
      observedGeneration: 3,
      desiredNumberScheduled: 1,
      currentNumberScheduled: 1,
      numberMisscheduled: 0,
      numberReady: 1,
      numberAvailable: 1,
      numberUnavailable: 0,
      updatedNumberScheduled: 1,
    });
  });

  it('with no pod, nothing is scheduled and one is unavailable', () => {
    expect(daemonSetStatus(1, [])).toMatchObject({
      currentNumberScheduled: 0,
      numberAvailable: 0,
      numberUnavailable: 1,
    });
  });
});
