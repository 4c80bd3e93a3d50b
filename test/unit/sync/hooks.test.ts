import { describe, expect, it } from 'vitest';
import type { StoredObject } from '../../../src/store/index.js';
import { deletedAfter, hookOutcome } from '../../../src/sync/hooks.js';

const hook = (kind: 'Job' | 'Pod', status?: unknown): StoredObject => ({
  apiVersion: kind === 'Job' ? 'batch/v1' : 'v1',
  kind,
  metadata: {
    name: 'migrate',
    namespace: 'default',
    uid: 'u1',
    generation: 1,
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
  ...(status !== undefined ? { status } : {}),
});
const job = (conditions: Array<{ type: string; status: string }>) => hook('Job', { conditions });

describe('hook runs (Argo CD: a Job by its conditions, a Pod by its phase)', () => {
  it.each([
    [job([{ type: 'Complete', status: 'True' }]), 'Succeeded'],
    [job([{ type: 'Failed', status: 'True' }]), 'Failed'],
    [job([{ type: 'Complete', status: 'False' }]), 'Running'],
    [job([]), 'Running'],
    [hook('Pod', { phase: 'Succeeded' }), 'Succeeded'],
    [hook('Pod', { phase: 'Failed' }), 'Failed'],
    [hook('Pod', { phase: 'Running' }), 'Running'],
    [hook('Pod'), 'Running'],
  ])('%j is %s', (object, outcome) => {
    expect(hookOutcome(object)).toBe(outcome);
  });

  it.each([
    [['HookSucceeded'], 'Succeeded', true],
    [['HookSucceeded'], 'Failed', false],
    [['HookFailed'], 'Failed', true],
    [['HookFailed'], 'Succeeded', false],
    [['HookSucceeded', 'HookFailed'], 'Failed', true],
    // BeforeHookCreation: kept after the run, removed before the next one.
    [['BeforeHookCreation'], 'Succeeded', false],
    [['BeforeHookCreation'], 'Failed', false],
    [['HookSucceeded'], 'Running', false],
  ] as const)('policies %j, run %s: deleted %s', (deletePolicies, outcome, deleted) => {
    expect(deletedAfter({ deletePolicies: [...deletePolicies] } as never, outcome)).toBe(deleted);
  });
});
