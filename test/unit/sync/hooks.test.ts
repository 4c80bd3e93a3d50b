import { describe, expect, it } from 'vitest';
import { deletedAfter, hookOutcome } from '../../../src/sync/hooks.js';

const job = (conditions: Array<{ type: string; status: string }>) => ({
  kind: 'Job',
  status: { conditions },
});

describe('hook runs (Argo CD: a Job by its conditions, a Pod by its phase)', () => {
  it.each([
    [job([{ type: 'Complete', status: 'True' }]), 'Succeeded'],
    [job([{ type: 'Failed', status: 'True' }]), 'Failed'],
    [job([{ type: 'Complete', status: 'False' }]), 'Running'],
    [job([]), 'Running'],
    [{ kind: 'Pod', status: { phase: 'Succeeded' } }, 'Succeeded'],
    [{ kind: 'Pod', status: { phase: 'Failed' } }, 'Failed'],
    [{ kind: 'Pod', status: { phase: 'Running' } }, 'Running'],
    [{ kind: 'Pod' }, 'Running'],
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
