import { describe, expect, it } from 'vitest';
import {
  backoffRecord,
  type JobPod,
  type JobSettings,
  jobStep,
  remainingBackoffMs,
} from '../../src/controllers/job/index.js';
import { rfc3339 } from '../../src/controllers/pod-facts.js';
import { conformanceFixture } from './fixture.js';

type Row = { name: string; skip?: string; [key: string]: unknown };
const NOW = Date.parse('2009-11-10T23:00:00Z');
const HOUR = 3_600_000;

/** `count` pods of a phase, finished an hour ago when they are done. */
function pods(counts: number[]): JobPod[] {
  const phases = ['Pending', 'Running', 'Succeeded', 'Failed'];
  const out: JobPod[] = [];
  counts.forEach((n, i) => {
    const phase = phases[i] as string;
    for (let k = 0; k < n; k++) {
      const done = phase === 'Succeeded' || phase === 'Failed';
      out.push({
        name: `${phase.toLowerCase()}-${k}`,
        phase,
        ready: phase === 'Running',
        restarts: 0,
        createdAt: rfc3339(NOW - 2 * HOUR + k * 1000),
        ...(done ? { finishedAtMs: NOW - HOUR + k * 1000 } : {}),
        labels: {},
        annotations: {},
      });
    }
  });
  return out;
}

function settings(parallelism: number, completions: number, backoffLimit: number): JobSettings {
  return {
    ...(completions >= 0 ? { completions } : {}),
    parallelism,
    backoffLimit,
    completionMode: 'NonIndexed',
    restartPolicy: 'Never',
    suspend: false,
  };
}

describe('kubernetes pkg/controller/job/job_controller_test.go', () => {
  const f = conformanceFixture<{ controllerSyncJob: Row[]; syncJobPastDeadline: Row[] }>(
    './job/job-controller.yaml',
  );

  describe('TestControllerSyncJob', () => {
    for (const c of f.controllerSyncJob) {
      if (c.skip) {
        it.skip(`${c.name}: ${c.skip}`, () => {});
        continue;
      }
      it(c.name, () => {
        const [parallelism, completions, backoffLimit] = c.job as number[];
        const [creations, deletions, active, succeeded, failed, condition, reason] = c.expect as [
          number,
          number,
          number,
          number,
          number,
          string?,
          string?,
        ];
        const step = jobStep(
          settings(parallelism as number, completions as number, backoffLimit as number),
          undefined,
          pods(c.pods as number[]),
          NOW,
        );
        expect(step.create).toHaveLength(creations);
        expect(step.delete).toHaveLength(deletions);
        const planned = c.error ? active + creations - deletions : active;
        expect({
          active: step.status.active ?? 0,
          succeeded: step.status.succeeded ?? 0,
          failed: step.status.failed ?? 0,
        }).toEqual({ active: planned, succeeded, failed });
        expect(step.status.startTime).toBeDefined();
        if (condition) {
          const got = step.status.conditions?.find((x) => x.type === condition);
          expect(got).toMatchObject({ status: 'True', ...(reason ? { reason } : {}) });
        }
      });
    }
  });

  describe('TestSyncJobPastDeadline', () => {
    for (const c of f.syncJobPastDeadline) {
      it(c.name, () => {
        const [parallelism, completions, deadline, startedAgo, backoffLimit] = c.job as number[];
        const [deletions, active, succeeded, failed, reason] = c.expect as [
          number,
          number,
          number,
          number,
          string,
        ];
        const [a, s, fl] = c.pods as number[];
        const step = jobStep(
          {
            ...settings(parallelism as number, completions as number, backoffLimit as number),
            activeDeadlineSeconds: deadline as number,
          },
          { ready: 0, startTime: rfc3339(NOW - (startedAgo as number) * 1000) },
          pods([0, a as number, s as number, fl as number]),
          NOW,
        );
        expect(step.create).toHaveLength(0);
        expect(step.delete).toHaveLength(deletions);
        expect({
          active: step.status.active ?? 0,
          succeeded: step.status.succeeded ?? 0,
          failed: step.status.failed ?? 0,
        }).toEqual({ active, succeeded, failed });
        expect(step.status.conditions?.find((x) => x.type === 'Failed')).toMatchObject({
          status: 'True',
          reason,
        });
      });
    }
  });
});

describe('kubernetes pkg/controller/job/backoff_utils_test.go', () => {
  const f = conformanceFixture<{ newBackoffRecord: Row[]; getRemainingBackoffTime: Row[] }>(
    './job/backoff-utils.yaml',
  );
  describe('TestNewBackoffRecord', () => {
    for (const c of f.newBackoffRecord) {
      if (c.skip) {
        it.skip(`${c.name}: ${c.skip}`, () => {});
        continue;
      }
      it(c.name, () => {
        const [count, last] = c.expect as [number, number | null];
        const got = backoffRecord(
          (c.succeeded as number[]).map((t) => NOW + t),
          (c.failed as number[]).map((t) => NOW + t),
        );
        expect(got).toEqual({
          failuresAfterLastSuccess: count,
          ...(last !== null ? { lastFailureMs: NOW + last } : {}),
        });
      });
    }
  });
  describe('TestGetRemainingBackoffTime', () => {
    for (const c of f.getRemainingBackoffTime) {
      it(c.name, () => {
        const [count, last] = c.record as [number, number | null];
        const [base, max] = c.backoff as [number, number];
        const got = remainingBackoffMs(
          {
            failuresAfterLastSuccess: count,
            ...(last !== null ? { lastFailureMs: NOW + last } : {}),
          },
          NOW + (c.now as number),
          base * 1000,
          max * 1000,
        );
        expect(got / 1000).toBe(c.expect);
      });
    }
  });
});
