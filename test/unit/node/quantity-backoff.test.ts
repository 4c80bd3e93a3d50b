import { describe, expect, it } from 'vitest';
import { restartDelayMs, shouldRestart } from '../../../src/node/backoff.js';
import { pullPolicy } from '../../../src/node/image.js';
import { requireQuantity } from '../../../src/node/quantity.js';

describe('requireQuantity', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    [1.5, 1.5],
    ['128Mi', 128 * 1024 ** 2],
    ['1Gi', 1024 ** 3],
    ['1G', 1e9],
    ['100k', 1e5],
    ['2e3', 2000],
    // Valid Kubernetes quantities the node once rejected after validation had accepted them.
    ['100n', 1e-7],
    ['5u', 5e-6],
    ['1.', 1],
  ])('%s → %d', (text, value) => {
    expect(requireQuantity(text)).toBeCloseTo(value, 12);
  });

  it.each(['', '12MB', 'abc', '1.2.3'])('rejects %j with InvalidQuantity', (text) => {
    expect(() => requireQuantity(text)).toThrow(
      expect.objectContaining({ code: 'InvalidQuantity' }),
    );
  });
});

describe('CrashLoopBackOff delay', () => {
  const policy = { initialMs: 10_000, maxMs: 300_000, resetMs: 600_000 };
  it.each([
    [0, 0],
    [1, 10_000],
    [2, 20_000],
    [3, 40_000],
    [5, 160_000],
    [6, 300_000],
    [50, 300_000],
  ])('after %d restarts waits %d ms', (restarts, ms) => {
    expect(restartDelayMs(policy, restarts, 1000)).toBe(ms);
  });

  it('resets after 10 minutes of clean running', () => {
    expect(restartDelayMs(policy, 6, 600_000)).toBe(0);
    expect(restartDelayMs(policy, 6, 599_999)).toBe(300_000);
  });

  it.each([
    ['Always', 0, true],
    ['Always', 1, true],
    ['OnFailure', 0, false],
    ['OnFailure', 137, true],
    ['Never', 1, false],
  ] as const)('restartPolicy %s, exit %d → restart %s', (policyName, code, expected) => {
    expect(shouldRestart(policyName, code)).toBe(expected);
  });
});

describe('default imagePullPolicy', () => {
  it.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['registry:5000/team/app', 'Always'],
    ['registry:5000/team/app:1.2', 'IfNotPresent'],
    ['berth.local/busybox:1', 'IfNotPresent'],
    ['app@sha256:abcd', 'IfNotPresent'],
  ])('%s → %s', (image, policy) => {
    expect(pullPolicy({ name: 'c', image })).toBe(policy);
  });

  it('an explicit policy wins', () => {
    expect(pullPolicy({ name: 'c', image: 'busybox', imagePullPolicy: 'Never' })).toBe('Never');
  });
});
