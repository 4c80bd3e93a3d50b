import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { PlanAction } from './plan-action.js';
import { displayName } from './plan-report.js';

/**
 * A unified diff of one action's object as YAML (Secret values already masked by the plan), or
 * `''` when nothing changes. The header names the object and both sides.
 */
export function yamlDiff(
  action: PlanAction,
  beforeLabel: string,
  afterLabel: string,
  context = 3,
): string {
  if (action.type === 'unchanged' || action.type === 'keep') return '';
  const before = action.before ? stringify(action.before) : '';
  const after = action.type === 'delete' ? '' : action.after ? stringify(action.after) : '';
  const name = `${action.kind} ${displayName(action)}`;
  const patch = createTwoFilesPatch(
    `${name} @ ${beforeLabel}`,
    `${name} @ ${afterLabel}`,
    before,
    after,
    undefined,
    undefined,
    {
      context,
    },
  );
  // Drop the "===..." banner line jsdiff starts with: git and kubectl diff do not print it.
  return patch.replace(/^=+\n/, '');
}
