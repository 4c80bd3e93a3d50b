import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  podTemplateHash,
  type ReplicaSetState,
  resolveFenceposts,
  rolloutStep,
  type Strategy,
} from '../../../src/controllers/rollout/index.js';

describe('resolveFenceposts (Kubernetes defaults and rounding)', () => {
  it.each([
    [4, undefined, undefined, 1, 1],
    [3, undefined, undefined, 1, 0],
    [10, '25%', '25%', 3, 2],
    [1, undefined, undefined, 1, 0],
    [3, 0, 0, 0, 1],
    [5, '0%', '0%', 0, 1],
    [10, 2, '50%', 2, 5],
  ])(
    'replicas %i, surge %s, unavailable %s → %i, %i',
    (replicas, surge, unavailable, expSurge, expUnavailable) => {
      expect(resolveFenceposts(replicas, surge, unavailable)).toEqual({
        maxSurge: expSurge,
        maxUnavailable: expUnavailable,
      });
    },
  );

  it('rejects a value that is neither a number nor a percentage', () => {
    expect(() => resolveFenceposts(3, '1.5')).toThrow(/"1.5" is neither a number nor a percentage/);
  });
});

/**
 * Drives a rollout to its end the way the controller would: apply each step, let pods become
 * available `delay` steps after they are created, and check Kubernetes' two guarantees at every
 * step: never more than replicas + maxSurge pods, never fewer than replicas - maxUnavailable
 * available (once the rollout started from a fully available state).
 */
function simulate(
  replicas: number,
  strategy: Strategy & { type: 'RollingUpdate' },
  oldReplicas: number,
  delay: number,
) {
  const { maxSurge, maxUnavailable } = resolveFenceposts(
    replicas,
    strategy.maxSurge,
    strategy.maxUnavailable,
  );
  const newRS: ReplicaSetState = { name: 'new', replicas: 0, available: 0, createdAt: 2 };
  const oldRS: ReplicaSetState = {
    name: 'old',
    replicas: oldReplicas,
    available: oldReplicas,
    createdAt: 1,
  };
  const pending: Array<{ due: number }> = [];
  let steps = 0;
  const history: string[] = [];
  for (let tick = 0; tick < 200; tick++) {
    // Pods created `delay` ticks ago become available.
    while (pending.length > 0 && (pending[0] as { due: number }).due <= tick) {
      pending.shift();
      newRS.available++;
    }
    const step = rolloutStep(replicas, strategy, newRS, [oldRS]);
    for (const [name, n] of step) {
      const rs = name === 'new' ? newRS : oldRS;
      if (rs === newRS) for (let i = rs.replicas; i < n; i++) pending.push({ due: tick + delay });
      rs.replicas = n;
      if (rs === oldRS) rs.available = Math.min(rs.available, n);
      steps++;
    }
    history.push(`${newRS.replicas}/${newRS.available} ${oldRS.replicas}`);
    expect(newRS.replicas + oldRS.replicas).toBeLessThanOrEqual(
      Math.max(replicas + maxSurge, oldReplicas),
    );
    expect(newRS.available + oldRS.available).toBeGreaterThanOrEqual(
      Math.min(replicas - maxUnavailable, oldReplicas),
    );
    if (newRS.available === replicas && oldRS.replicas === 0) return { steps, history };
  }
  throw new Error(`rollout did not finish: ${history.join(', ')}`);
}

describe('rolloutStep (RollingUpdate)', () => {
  it('surges one new pod at a time and waits for it when maxUnavailable is 0 (the example web tier)', () => {
    const { history } = simulate(
      3,
      { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 },
      3,
      2,
    );
    // New pods appear one at a time, and an old one goes only after a new one is available.
    expect(history.slice(0, 4)).toEqual(['1/0 3', '1/0 3', '1/1 2', '2/1 2']);
  });

  it.each([
    [3, 1, 0, 1],
    [4, '25%', '25%', 3],
    [10, '25%', '25%', 1],
    [10, 0, 3, 2],
    [5, 0, 0, 1],
    [6, '100%', 0, 2],
  ])(
    'replicas %i, surge %s, unavailable %s, pods ready after %i ticks: bounds hold and it finishes',
    (replicas, surge, unavailable, delay) => {
      simulate(
        replicas,
        { type: 'RollingUpdate', maxSurge: surge, maxUnavailable: unavailable },
        replicas,
        delay,
      );
    },
  );

  it('removes old pods that are not available first, without waiting for new ones', () => {
    const step = rolloutStep(
      4,
      { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 1 },
      { name: 'new', replicas: 1, available: 0, createdAt: 3 },
      [
        { name: 'older', replicas: 2, available: 1, createdAt: 1 },
        { name: 'old', replicas: 2, available: 2, createdAt: 2 },
      ],
    );
    expect([...step]).toEqual([['older', 1]]);
  });

  it('scales the new ReplicaSet down when replicas shrink', () => {
    const step = rolloutStep(
      2,
      { type: 'RollingUpdate' },
      { name: 'new', replicas: 5, available: 5, createdAt: 1 },
      [],
    );
    expect([...step]).toEqual([['new', 2]]);
  });
});

describe('rolloutStep (Recreate)', () => {
  it('stops every old pod before the new ReplicaSet grows', () => {
    const newRS = { name: 'new', replicas: 0, available: 0, createdAt: 2 };
    const oldRS = { name: 'old', replicas: 3, available: 3, createdAt: 1 };
    expect([...rolloutStep(3, { type: 'Recreate' }, newRS, [oldRS])]).toEqual([['old', 0]]);
    const scaledDown = { ...oldRS, replicas: 0, available: 0 };
    expect([...rolloutStep(3, { type: 'Recreate' }, newRS, [scaledDown], 1)]).toEqual([]);
    expect([...rolloutStep(3, { type: 'Recreate' }, newRS, [scaledDown], 0)]).toEqual([['new', 3]]);
  });
});

describe('podTemplateHash', () => {
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'web', image: 'web:1' }] },
  };

  it('is ten characters of the safe alphabet, the same whatever the key order', () => {
    const hash = podTemplateHash(template);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
    expect(podTemplateHash({ spec: template.spec, metadata: template.metadata })).toBe(hash);
  });

  it('changes with the template and with the collision count', () => {
    const hash = podTemplateHash(template);
    expect(
      podTemplateHash({ ...template, spec: { containers: [{ name: 'web', image: 'web:2' }] } }),
    ).not.toBe(hash);
    expect(podTemplateHash(template, 1)).not.toBe(hash);
    expect(canonicalJson({ b: 1, a: [2, { d: null, c: undefined }] })).toBe(
      '{"a":[2,{"d":null}],"b":1}',
    );
  });
});
