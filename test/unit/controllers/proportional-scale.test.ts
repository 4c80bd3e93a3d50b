import { describe, expect, it } from 'vitest';
import {
  isScalingEvent,
  proportionalScale,
  type ReplicaSetState,
} from '../../../src/controllers/rollout/index.js';

const rs = (
  name: string,
  replicas: number,
  createdAt: number,
  desiredReplicas?: number,
  maxReplicas?: number,
): ReplicaSetState => ({
  name,
  replicas,
  available: replicas,
  createdAt,
  ...(desiredReplicas !== undefined ? { desiredReplicas } : {}),
  ...(maxReplicas !== undefined ? { maxReplicas } : {}),
});
const rolling = { type: 'RollingUpdate', maxSurge: 3, maxUnavailable: 2 } as const;

describe('scaling events', () => {
  it('is a scaling event when an active ReplicaSet was scaled for another size', () => {
    expect(isScalingEvent(5, [rs('a', 3, 1, 3)])).toBe(true);
    expect(isScalingEvent(3, [rs('a', 3, 1, 3)])).toBe(false);
    // Inactive ReplicaSets and ReplicaSets without the annotation do not count.
    expect(isScalingEvent(5, [rs('a', 0, 1, 3), rs('b', 5, 2)])).toBe(false);
  });

  it('gives a lone active ReplicaSet the whole size', () => {
    expect([
      ...proportionalScale(
        { replicas: 5, strategy: rolling, statusReplicas: 3 },
        rs('a', 3, 2, 3),
        [rs('o', 0, 1)],
      ),
    ]).toEqual([['a', 5]]);
  });

  it('scales ReplicaSets of a rolling update in proportion, the leftover to the largest', () => {
    // 10 → 20 replicas with maxSurge 3: 13 pods were allowed, 23 are now; new 8, old 5.
    const step = proportionalScale(
      { replicas: 20, strategy: rolling, statusReplicas: 13 },
      rs('new', 8, 2, 10, 13),
      [rs('old', 5, 1, 10, 13)],
    );
    expect(Object.fromEntries(step)).toEqual({ new: 14, old: 9 });
    expect([...step.values()].reduce((a, b) => a + b, 0)).toBe(23);
  });
});
