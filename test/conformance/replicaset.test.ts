import { describe, expect, it } from 'vitest';
import {
  compareActivePods,
  podsToDelete,
  type RankedPod,
  replicaSetStatus,
  slowStartBatch,
} from '../../src/controllers/replicaset/index.js';
import { conformanceFixture } from './fixture.js';

type Row = { name: string; [key: string]: unknown };
const f = conformanceFixture<{
  calculateStatus: Row[];
  calculateStatusConditions: Row[];
  slowStartBatch: Row[];
  getPodsToDelete: { pods: Record<string, [string, string, boolean]>; cases: Row[] };
  sortingActivePods: Array<{ name: string; order: Record<string, unknown[]> }>;
  sortingActivePodsWithRanks: {
    pods: Record<string, unknown[]>;
    equality: string[][];
    inequality: Array<[string, number, string, number] | { skip: string; case: unknown[] }>;
  };
}>('./replicaset/replica-set.yaml');

const NOW = Date.parse('2026-01-01T12:00:00Z');
const HOUR = 3_600_000;
const TIMES: Record<string, number | undefined> = {
  now: NOW,
  then1Month: Date.parse('2025-12-01T12:00:00Z'),
  then2Hours: NOW - 2 * HOUR,
  then5Hours: NOW - 5 * HOUR,
  then8Hours: NOW - 8 * HOUR,
  zero: undefined,
};
const time = (t: unknown) => (t === null ? undefined : TIMES[t as string]);
const TEMPLATE = { name: 'foo', type: 'production' };

describe('kubernetes pkg/controller/replicaset/replica_set_utils_test.go', () => {
  describe('TestCalculateStatus', () => {
    for (const c of f.calculateStatus) {
      it(c.name, () => {
        const rs = c.rs as { replicas: number; minReadySeconds?: number };
        const status = replicaSetStatus({
          generation: 0,
          replicas: rs.replicas,
          minReadySeconds: rs.minReadySeconds ?? 0,
          templateLabels: TEMPLATE,
          pods: (c.pods as [string, string][]).map(([labels, phase]) => ({
            labels: labels === 'full' ? TEMPLATE : { name: 'foo' },
            ready: phase === 'Running',
          })),
          nowMs: NOW,
        });
        expect(status).toEqual({ observedGeneration: 0, ...(c.expected as object) });
      });
    }
  });

  describe('TestCalculateStatusConditions', () => {
    for (const c of f.calculateStatusConditions) {
      it(c.name, () => {
        const rs = c.rs as { replicas: number; failure?: boolean };
        const status = replicaSetStatus({
          generation: 0,
          replicas: rs.replicas,
          minReadySeconds: 0,
          templateLabels: TEMPLATE,
          pods: Array.from({ length: c.pods as number }, () => ({ labels: TEMPLATE, ready: true })),
          conditions: rs.failure ? [{ type: 'ReplicaFailure', status: 'True' }] : [],
          ...(c.error ? { manageError: c.error as string } : {}),
          nowMs: NOW,
        });
        const got = status.conditions?.map(({ lastTransitionTime: _, ...rest }) => rest);
        if (c.expected === null) expect(got).toBeUndefined();
        else expect(got).toEqual(c.expected);
      });
    }
  });
});

describe('kubernetes pkg/controller/replicaset/replica_set_test.go', () => {
  describe('TestSlowStartBatch', () => {
    for (const c of f.slowStartBatch) {
      it(c.name, async () => {
        let calls = 0;
        const { successes, error } = await slowStartBatch(c.count as number, 1, async () => {
          calls++;
          if (calls > (c.callLimit as number)) throw new Error('fake error');
        });
        expect({ successes, error: error !== undefined, calls }).toEqual({
          successes: c.successes,
          error: c.error,
          calls: c.calls,
        });
      });
    }
  });

  describe('TestGetPodsToDelete', () => {
    const pod = (name: string): RankedPod => {
      const [nodeName, phase, ready] = f.getPodsToDelete.pods[name] as [string, string, boolean];
      return { name, nodeName, phase, ready, maxRestarts: 0, deletionCost: 0, uid: '' };
    };
    for (const c of f.getPodsToDelete.cases) {
      it(c.name, () => {
        const pods = (c.pods as string[]).map(pod);
        const related = c.related ? (c.related as string[]).map(pod) : pods;
        const got = podsToDelete(pods, related, c.diff as number, NOW).map((p) => p.name);
        expect(got).toEqual(c.expected);
      });
    }
  });
});

describe('kubernetes pkg/controller/controller_utils_test.go', () => {
  describe('TestSortingActivePods', () => {
    for (const c of f.sortingActivePods) {
      it(c.name, () => {
        const pods = Object.entries(c.order).map(([name, v]): RankedPod => {
          const [nodeName, phase, ready, since, restarts, created] = v as [
            string,
            string,
            boolean,
            string | null,
            number[],
            string | null,
          ];
          const readySinceMs = time(since);
          const createdMs = time(created);
          return {
            name,
            nodeName,
            phase,
            ready,
            ...(readySinceMs !== undefined ? { readySinceMs } : {}),
            maxRestarts: Math.max(0, ...restarts),
            ...(createdMs !== undefined ? { createdMs } : {}),
            deletionCost: 0,
            uid: '',
          };
        });
        // A seeded shuffle, 20 times, as upstream's rand.Perm.
        let seed = 7;
        const random = () => {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          return seed / 2 ** 31;
        };
        for (let round = 0; round < 20; round++) {
          const shuffled = [...pods].sort(() => random() - 0.5);
          shuffled.sort((a, b) => compareActivePods(a, b, 0, 0, NOW));
          expect(shuffled.map((p) => p.name)).toEqual(Object.keys(c.order));
        }
      });
    }
  });

  describe('TestSortingActivePodsWithRanks', () => {
    const t = f.sortingActivePodsWithRanks;
    const pod = (name: string): RankedPod => {
      const [nodeName, phase, ready, restarts, since, created, cost] = t.pods[name] as [
        string,
        string,
        boolean,
        number,
        string,
        string,
        string | null,
      ];
      const readySinceMs = time(since);
      const createdMs = time(created);
      return {
        name,
        nodeName,
        phase,
        ready,
        ...(readySinceMs !== undefined ? { readySinceMs } : {}),
        // Upstream gives container statuses (and so restarts) to ready pods only.
        maxRestarts: ready ? restarts : 0,
        ...(createdMs !== undefined ? { createdMs } : {}),
        deletionCost: cost === null ? 0 : Number(cost),
        uid: '',
      };
    };
    t.equality.forEach(([a, b], i) => {
      it(`Equality tests ${i}: ${a} ~ ${b ?? a}`, () => {
        const p1 = pod(a as string);
        const p2 = pod(b ?? (a as string));
        expect(compareActivePods(p1, p2, 1, 1, NOW)).toBe(0);
        expect(compareActivePods(p2, p1, 1, 1, NOW)).toBe(0);
      });
    });
    t.inequality.forEach((row, i) => {
      if (!Array.isArray(row)) {
        it.skip(`Inequality tests ${i}: ${row.skip}`, () => {});
        return;
      }
      const [lesser, lr, greater, gr] = row;
      it(`Inequality tests ${i}: ${lesser}(${lr}) < ${greater}(${gr})`, () => {
        expect(compareActivePods(pod(lesser), pod(greater), lr, gr, NOW)).toBeLessThan(0);
        expect(compareActivePods(pod(greater), pod(lesser), gr, lr, NOW)).toBeGreaterThan(0);
      });
    });
  });
});
