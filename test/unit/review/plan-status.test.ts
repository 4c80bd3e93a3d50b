import { describe, expect, it } from 'vitest';
import { makePlan, type PlanReport, type ReportProblem } from '../../../src/plan/index.js';
import { MAX_DESCRIPTION, planStatus } from '../../../src/review/index.js';

const cm = (name: string, greeting: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespace: 'default',
  name,
  value: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { greeting } },
});
const head = { ref: 'feature', sha: 'a'.repeat(40) };
const base = { ref: 'b'.repeat(40), sha: 'b'.repeat(40) };
const problem = (file: string, line: number, message: string): ReportProblem => ({
  file,
  line,
  column: 3,
  severity: 'error',
  message,
});

describe('planStatus', () => {
  it('a valid revision: success on the head SHA, counting creates, updates and deletes', () => {
    const plan = makePlan({
      desired: [cm('new', 'x'), cm('changed', 'after'), cm('same', 'y')],
      live: [cm('changed', 'before'), cm('same', 'y'), cm('gone', 'z')],
      prune: true,
    });
    const report: PlanReport = { head, base, valid: true, plan, impacts: [], problems: [] };
    expect(planStatus(report, 'berth/plan')).toEqual({
      sha: head.sha,
      state: 'success',
      context: 'berth/plan',
      description: '1 to create, 1 to update, 1 to delete',
    });
  });

  it('an invalid revision: failure naming the first errors as file:line, warnings left out', () => {
    const report: PlanReport = {
      head,
      base,
      valid: false,
      impacts: [],
      problems: [
        { ...problem('web.yaml', 4, 'a warning'), severity: 'warning' },
        problem('web.yaml', 12, 'bad port'),
      ],
    };
    expect(planStatus(report, 'ci/berth')).toEqual({
      sha: head.sha,
      state: 'failure',
      context: 'ci/berth',
      description: 'invalid: web.yaml:12 bad port',
    });
  });

  it('many errors: the first three, a count of the rest, cut to what the forges keep', () => {
    const problems = Array.from({ length: 7 }, (_, i) =>
      problem(`apps/service-${i}.yaml`, i + 1, `field spec.ports[${i}].port must be a number`),
    );
    const report: PlanReport = { head, base, valid: false, impacts: [], problems };
    const { description } = planStatus(report, 'berth/plan');
    expect(description.startsWith('invalid: apps/service-0.yaml:1 field')).toBe(true);
    expect(description.length).toBe(MAX_DESCRIPTION);
    expect(description.endsWith('…')).toBe(true);
    const short = planStatus(
      { ...report, problems: problems.map((p) => ({ ...p, message: 'bad' })) },
      'berth/plan',
    );
    expect(short.description).toBe(
      'invalid: apps/service-0.yaml:1 bad; apps/service-1.yaml:2 bad; apps/service-2.yaml:3 bad (+4 more)',
    );
  });
});
