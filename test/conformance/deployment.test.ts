import { describe, expect, it } from 'vitest';
import {
  type DeploymentCondition,
  type DeploymentStatus,
  type DeploymentStatusInput,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  getDeploymentCondition,
  maxUnavailable,
  minAvailable,
  NO_PROGRESS_DEADLINE,
  newRSNewReplicas,
  progressCheckAfterMs,
  type ReplicaSetPods,
  removeDeploymentCondition,
  replicaSetFraction,
  resolveFenceposts,
  setDeploymentCondition,
  syncRolloutStatus,
} from '../../src/controllers/rollout/index.js';
import { conformanceFixture } from './fixture.js';

type Row = { name: string; [key: string]: unknown };
const pds = (v: number | null) => (v === null ? NO_PROGRESS_DEADLINE : v);

describe('kubernetes pkg/controller/deployment/progress_test.go', () => {
  const f = conformanceFixture<{
    times: Record<string, string>;
    conditions: Record<string, Omit<DeploymentCondition, 'message'>>;
    syncRolloutStatus: { now: string; cases: Row[] };
    requeueStuckDeployment: { cases: Row[] };
  }>('./deployment/progress.yaml');
  const time = (t: string) => f.times[t] ?? t;
  const condition = (name: string): DeploymentCondition => {
    const c = f.conditions[name] as Omit<DeploymentCondition, 'message'>;
    return {
      ...c,
      message: '',
      lastUpdateTime: time(c.lastUpdateTime),
      lastTransitionTime: time(c.lastTransitionTime),
    };
  };
  // currentDeployment(pds, replicas, statusReplicas, updatedReplicas, availableReplicas, conditions)
  const deployment = (
    d: unknown[],
    now: string,
    newRS?: ReplicaSetPods,
    oldRSs: ReplicaSetPods[] = [],
  ) => {
    const [deadline, replicas, statusReplicas, updated, available, conds] = d as [
      number | null,
      number,
      number,
      number,
      number,
      string[],
    ];
    const status: DeploymentStatus = {
      observedGeneration: 0,
      replicas: statusReplicas,
      updatedReplicas: updated,
      readyReplicas: 0,
      availableReplicas: available,
      unavailableReplicas: 0,
      conditions: conds.map(condition),
    };
    const input: DeploymentStatusInput = {
      name: 'progress-test',
      generation: 0,
      replicas,
      paused: false,
      strategy: { type: 'Recreate' },
      progressDeadlineSeconds: pds(deadline),
      newRS,
      newRSCreated: false,
      oldRSs,
      now: new Date(now),
    };
    return { input, status };
  };
  // newRSWithAvailable(name, specReplicas, statusReplicas, availableReplicas)
  const rs = ([name, desired, replicas, available]: [string, number, number, number]) => ({
    name,
    desired,
    replicas,
    ready: 0,
    available,
  });

  describe('TestSyncRolloutStatus', () => {
    for (const c of f.syncRolloutStatus.cases) {
      it(c.name, () => {
        const newRS = c.newRS ? rs(c.newRS as [string, number, number, number]) : undefined;
        const oldRSs = (c.allRSs as [string, number, number, number][]).map(rs);
        const { input, status } = deployment(
          c.d as unknown[],
          f.syncRolloutStatus.now,
          newRS,
          oldRSs,
        );
        const next = syncRolloutStatus(input, status);
        const got = getDeploymentCondition(next.conditions, 'Progressing');
        const want = c.expect as null | Record<string, unknown>;
        if (want === null) {
          expect(got).toBeUndefined();
          return;
        }
        expect(got).toMatchObject({ status: want.status, reason: want.reason });
        if (want.lastUpdate) expect(got?.lastUpdateTime).toBe(f.times.testTime);
        if (want.lastTransition) expect(got?.lastTransitionTime).toBe(f.times.testTime);
        if (want.unchanged)
          expect(got).toEqual(getDeploymentCondition(status.conditions, 'Progressing'));
      });
    }
  });

  describe('TestRequeueStuckDeployment', () => {
    for (const c of f.requeueStuckDeployment.cases) {
      it(c.name, () => {
        const now = (c.now as string | undefined) ?? '2017-02-15T18:49:00Z';
        const { input, status } = deployment(c.d as unknown[], now);
        const [replicas, updated, available] = c.status as number[];
        const next = {
          ...status,
          replicas,
          updatedReplicas: updated,
          availableReplicas: available,
        } as DeploymentStatus;
        const spec = {
          replicas: input.replicas,
          generation: 0,
          progressDeadlineSeconds: input.progressDeadlineSeconds,
        };
        const after = progressCheckAfterMs(spec, status, next, new Date(now));
        expect(after === undefined ? -1 : after / 1000).toBe(c.expected);
      });
    }
  });
});

describe('kubernetes pkg/controller/deployment/util/deployment_util_test.go', () => {
  const f = conformanceFixture<Record<string, Row[]>>('./deployment/deployment-util.yaml');
  const named = (rows: Row[] | undefined): Row[] =>
    (rows ?? []).map((r, i) => ({ ...r, name: r.name ?? `#${i}` }) as Row);

  describe('TestResolveFenceposts', () => {
    for (const c of named(f.resolveFenceposts)) {
      it(c.name, () => {
        const run = () =>
          resolveFenceposts(
            c.desired as number,
            (c.maxSurge as string | null) ?? 0,
            (c.maxUnavailable as string | null) ?? 0,
          );
        if (c.error) expect(run).toThrow();
        else expect(run()).toEqual({ maxSurge: c.surge, maxUnavailable: c.unavailable });
      });
    }
  });

  describe('TestNewRSNewReplicas', () => {
    for (const c of named(f.newRSNewReplicas)) {
      it(c.name, () => {
        const newRS = { replicas: c.newRSReplicas as number };
        const strategy =
          c.strategy === 'Recreate'
            ? ({ type: 'Recreate' } as const)
            : ({
                type: 'RollingUpdate',
                maxSurge: c.maxSurge as number,
                maxUnavailable: 1,
              } as const);
        expect(
          newRSNewReplicas(c.depReplicas as number, strategy, newRS, [{ replicas: 5 }, newRS]),
        ).toBe(c.expected);
      });
    }
  });

  const cond = (name: string): DeploymentCondition => {
    const [type, status, reason] = {
      condProgressing: ['Progressing', 'False', 'ForSomeReason'],
      condProgressing2: ['Progressing', 'True', 'BecauseItIs'],
      condAvailable: ['Available', 'True', 'AwesomeController'],
    }[name] as [DeploymentCondition['type'], DeploymentCondition['status'], string];
    return { type, status, reason, message: '', lastTransitionTime: '', lastUpdateTime: '' };
  };
  describe('TestSetCondition', () => {
    for (const c of named(f.setCondition)) {
      it(c.name, () => {
        const got = setDeploymentCondition(
          (c.status as string[]).map(cond),
          cond(c.cond as string),
        );
        expect(got).toEqual((c.expected as string[]).map(cond));
      });
    }
  });
  describe('TestRemoveCondition', () => {
    for (const c of named(f.removeCondition)) {
      it(c.name, () => {
        const got = removeDeploymentCondition(
          (c.status as string[]).map(cond),
          c.type as DeploymentCondition['type'],
        );
        expect(got).toEqual((c.expected as string[]).map(cond));
      });
    }
  });

  describe('TestDeploymentComplete', () => {
    for (const c of named(f.deploymentComplete)) {
      it(c.name, () => {
        const [desired, current, updated, available] = c.d as number[];
        const status = {
          observedGeneration: 0,
          replicas: current,
          updatedReplicas: updated,
          readyReplicas: 0,
          availableReplicas: available,
          unavailableReplicas: 0,
          conditions: [],
        } as DeploymentStatus;
        const spec = { replicas: desired as number, generation: 0, progressDeadlineSeconds: 600 };
        expect(deploymentComplete(spec, status)).toBe(c.expected);
      });
    }
  });

  describe('TestDeploymentProgressing', () => {
    const status = ([replicas, updatedReplicas, readyReplicas, availableReplicas]: number[]) => ({
      replicas: replicas as number,
      updatedReplicas: updatedReplicas as number,
      readyReplicas: readyReplicas as number,
      availableReplicas: availableReplicas as number,
    });
    for (const c of named(f.deploymentProgressing)) {
      it(c.name, () => {
        expect(
          deploymentProgressing(status(c.d as number[]), status(c.newStatus as number[])),
        ).toBe(c.expected);
      });
    }
  });

  describe('TestDeploymentTimedOut', () => {
    for (const c of named(f.deploymentTimedOut)) {
      it(c.name, () => {
        const conditions: DeploymentCondition[] = [
          {
            type: 'Progressing',
            status: c.status as DeploymentCondition['status'],
            reason: c.reason as string,
            message: '',
            lastUpdateTime: c.from as string,
            lastTransitionTime: c.from as string,
          },
        ];
        const spec = {
          replicas: 1,
          generation: 0,
          progressDeadlineSeconds: pds(c.pds as number | null),
        };
        expect(deploymentTimedOut(spec, { conditions }, new Date(c.now as string))).toBe(
          c.expected,
        );
      });
    }
  });

  const strategy = (c: Row) =>
    c.recreate
      ? ({ type: 'Recreate' } as const)
      : ({
          type: 'RollingUpdate',
          maxSurge: 1,
          maxUnavailable: c.maxUnavailable as number | string,
        } as const);
  describe('TestMaxUnavailable', () => {
    for (const c of named(f.maxUnavailable)) {
      it(c.name, () => {
        expect(maxUnavailable({ replicas: c.replicas as number, strategy: strategy(c) })).toBe(
          c.expected,
        );
      });
    }
  });
  describe('TestMinAvailable', () => {
    for (const c of named(f.minAvailable)) {
      it(c.name, () => {
        expect(minAvailable({ replicas: c.replicas as number, strategy: strategy(c) })).toBe(
          c.expected,
        );
      });
    }
  });

  describe('TestGetReplicaSetFraction', () => {
    for (const c of named(f.replicaSetFraction)) {
      it(c.name, () => {
        const rs = {
          name: 'rs',
          replicas: c.rsReplicas as number,
          available: 0,
          createdAt: 0,
          ...(c.rsMaxReplicas !== undefined ? { maxReplicas: c.rsMaxReplicas as number } : {}),
        };
        const d = {
          replicas: c.deploymentReplicas as number,
          strategy: {
            type: 'RollingUpdate',
            maxSurge: (c.deploymentMaxSurge as number | undefined) ?? 0,
            maxUnavailable: 1,
          } as const,
          statusReplicas: (c.deploymentStatusReplicas as number | undefined) ?? 0,
        };
        expect(replicaSetFraction(rs, d)).toBe(c.expected);
      });
    }
  });
});
