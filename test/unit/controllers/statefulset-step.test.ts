import { describe, expect, it } from 'vitest';
import { statefulSetStatus, statefulSetStep } from '../../../src/controllers/statefulset/index.js';
import { cases, pod } from './fixture.js';

interface Input {
  replicas: number;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  strategy?: 'OnDelete';
  partition?: number;
  updateRevision?: string;
  pods: Array<[number, string, string, boolean]>;
}

describe('statefulSetStep (Kubernetes StatefulSet control loop)', () => {
  it.each(cases<Input>('statefulset-step'))('%s', (_name, { input, expect: expected }) => {
    const step = statefulSetStep({
      replicas: input.replicas,
      podManagementPolicy: input.podManagementPolicy ?? 'OrderedReady',
      updateStrategy:
        input.strategy === 'OnDelete'
          ? { type: 'OnDelete' }
          : { type: 'RollingUpdate', partition: input.partition ?? 0 },
      currentRevision: 'r1',
      updateRevision: input.updateRevision ?? 'r1',
      pods: input.pods.map(([ordinal, revision, phase, ready]) => ({
        name: `web-${ordinal}`,
        ordinal,
        revision,
        phase,
        ready,
      })),
    });
    expect(step).toEqual(expected);
  });
});

describe('statefulSetStatus', () => {
  const at = (revision: string, ready: boolean) => ({
    ...pod('p', 'Running', ready),
    revision,
  });

  it('counts pods per revision while a rollout runs', () => {
    const status = statefulSetStatus({
      generation: 4,
      pods: [at('web-a', true), at('web-a', true), at('web-b', false)],
      currentRevision: 'web-a',
      updateRevision: 'web-b',
      minReadySeconds: 0,
      nowMs: 1000,
    });
    expect(status).toEqual({
      observedGeneration: 4,
      replicas: 3,
      readyReplicas: 2,
      currentReplicas: 2,
      updatedReplicas: 1,
      currentRevision: 'web-a',
      updateRevision: 'web-b',
      collisionCount: 0,
      availableReplicas: 2,
    });
  });

  it('makes the update revision current once every pod runs it and is ready', () => {
    const status = statefulSetStatus({
      generation: 4,
      pods: [at('web-b', true), at('web-b', true)],
      currentRevision: 'web-a',
      updateRevision: 'web-b',
      minReadySeconds: 0,
      nowMs: 1000,
    });
    expect(status).toMatchObject({
      currentRevision: 'web-b',
      currentReplicas: 2,
      updatedReplicas: 2,
    });
  });

  it('counts a pod available only after minReadySeconds', () => {
    const status = statefulSetStatus({
      generation: 1,
      pods: [{ ...at('r', true), readySinceMs: 10_000 }],
      currentRevision: 'r',
      updateRevision: 'r',
      minReadySeconds: 5,
      nowMs: 12_000,
    });
    expect(status).toMatchObject({ readyReplicas: 1, availableReplicas: 0 });
  });
});
