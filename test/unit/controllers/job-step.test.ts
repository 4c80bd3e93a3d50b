import { describe, expect, it } from 'vitest';
import {
  formatIndexes,
  type JobSettings,
  type JobStatus,
  jobStep,
} from '../../../src/controllers/job/index.js';
import { cases, pod } from './fixture.js';

interface Input {
  settings?: Partial<Omit<JobSettings, 'completions'>> & { completions?: number | null };
  previous?: JobStatus;
  now?: string;
  pods: Array<[string, string, boolean?, number?, (string | null)?, number?]>;
}

const DEFAULTS: JobSettings = {
  completions: 1,
  parallelism: 1,
  backoffLimit: 6,
  completionMode: 'NonIndexed',
  restartPolicy: 'Never',
  suspend: false,
};

describe('jobStep (Kubernetes Job controller)', () => {
  it.each(cases<Input>('job-step'))('%s', (_name, { input, expect: expected }) => {
    const { completions, ...rest } = input.settings ?? {};
    const settings: JobSettings = { ...DEFAULTS, ...rest };
    if (completions === null) delete settings.completions;
    else if (completions !== undefined) settings.completions = completions;
    const pods = input.pods.map(([name, phase, ready, restarts, finishedAt, index]) => ({
      ...pod(name, phase, ready ?? false, restarts ?? 0, finishedAt ?? undefined),
      ...(index !== undefined ? { index } : {}),
    }));
    const step = jobStep(
      settings,
      input.previous,
      pods,
      Date.parse(input.now ?? '2025-01-01T00:01:00Z'),
    );
    const seen = {
      ...step,
      create: settings.completionMode === 'Indexed' ? step.create : step.create.length,
      requeueAfterMs: step.requeueAfterMs ?? null,
    };
    expect(seen).toMatchObject(expected);
  });
});

describe('formatIndexes', () => {
  it.each([
    [[], ''],
    [[3], '3'],
    [[0, 1, 2], '0-2'],
    [[7, 1, 3, 4, 5], '1,3-5,7'],
  ])('%j → %s', (indexes, text) => {
    expect(formatIndexes(indexes)).toBe(text);
  });
});
