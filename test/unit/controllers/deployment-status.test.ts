import { describe, expect, it } from 'vitest';
import {
  type DeploymentStatus,
  type DeploymentStatusInput,
  deploymentStatus,
  type ReplicaSetPods,
} from '../../../src/controllers/rollout/index.js';
import { objectHealth } from '../../../src/health/index.js';

const t0 = new Date('2026-11-23T10:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const rs = (name: string, desired: number, replicas: number, ready = replicas): ReplicaSetPods => ({
  name,
  desired,
  replicas,
  ready,
  available: ready,
});

function input(over: Partial<DeploymentStatusInput>): DeploymentStatusInput {
  return {
    previous: settledOld,
    name: 'web',
    generation: 2,
    replicas: 3,
    paused: false,
    strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 },
    progressDeadlineSeconds: 60,
    newRS: rs('web-5f6b', 1, 0, 0),
    newRSCreated: false,
    oldRSs: [rs('web-7d9c', 3, 3)],
    now: t0,
    ...over,
  };
}

// The status before the rollout: web-7d9c settled with 3 pods, an hour earlier.
const settledOld = deploymentStatus({
  name: 'web',
  generation: 1,
  replicas: 3,
  paused: false,
  strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 },
  progressDeadlineSeconds: 60,
  newRS: rs('web-7d9c', 3, 3),
  newRSCreated: false,
  oldRSs: [],
  now: new Date(t0.getTime() - 3600_000),
});

const progressing = (s: DeploymentStatus) => s.conditions.find((c) => c.type === 'Progressing');
const health = (s: DeploymentStatus, replicas = 3) =>
  objectHealth({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { generation: 2 },
    spec: { replicas },
    status: s,
  });

describe('deploymentStatus', () => {
  it('counts pods over ReplicaSets and reports a new rollout as Progressing', () => {
    const s = deploymentStatus(input({ newRSCreated: true }));
    expect(s).toMatchObject({
      replicas: 3,
      updatedReplicas: 0,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 1,
    });
    expect(s.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetCreated'],
    ]);
    expect(progressing(s)?.message).toBe('Created new replica set "web-5f6b"');
    expect(health(s).status).toBe('Progressing');
  });

  it('turns ProgressDeadlineExceeded after progressDeadlineSeconds without progress', () => {
    const s1 = deploymentStatus(input({ newRSCreated: true }));
    const s2 = deploymentStatus(input({ previous: s1, now: at(30) }));
    expect(progressing(s2)).toMatchObject({
      reason: 'NewReplicaSetCreated',
      lastUpdateTime: t0.toISOString(),
    });
    const s3 = deploymentStatus(input({ previous: s2, now: at(61) }));
    expect(progressing(s3)).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: 'ReplicaSet "web-5f6b" has timed out progressing.',
      lastTransitionTime: at(61).toISOString(),
    });
    expect(health(s3)).toMatchObject({ status: 'Degraded', reason: 'ProgressDeadlineExceeded' });
    // Without progress it stays so; progress afterwards (a pod turns ready) makes it True again,
    // as Kubernetes checks progress before the deadline.
    expect(progressing(deploymentStatus(input({ previous: s3, now: at(70) })))?.reason).toBe(
      'ProgressDeadlineExceeded',
    );
    const s4 = deploymentStatus(
      input({ previous: s3, now: at(70), newRS: rs('web-5f6b', 1, 1, 0) }),
    );
    expect(progressing(s4)).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
  });

  it('restarts the deadline whenever the rollout makes progress', () => {
    const s1 = deploymentStatus(input({ newRSCreated: true }));
    const s2 = deploymentStatus(
      input({ previous: s1, now: at(50), newRS: rs('web-5f6b', 1, 1, 0) }),
    );
    expect(progressing(s2)).toMatchObject({
      reason: 'ReplicaSetUpdated',
      lastUpdateTime: at(50).toISOString(),
      // Progressing stayed True since the last rollout: its transition time stays.
      lastTransitionTime: at(-3600).toISOString(),
    });
    const s3 = deploymentStatus(input({ previous: s2, now: at(100), newRS: rs('web-5f6b', 1, 1) }));
    expect(progressing(s3)?.lastUpdateTime).toBe(at(100).toISOString());
    expect(progressing(s3)?.status).toBe('True');
  });

  it('reports a finished rollout as NewReplicaSetAvailable, and Healthy', () => {
    const started = deploymentStatus(input({ newRSCreated: true }));
    const s = deploymentStatus(
      input({
        previous: started,
        now: at(20),
        newRS: rs('web-5f6b', 3, 3),
        oldRSs: [rs('web-7d9c', 0, 0)],
      }),
    );
    expect(progressing(s)).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: 'ReplicaSet "web-5f6b" has successfully progressed.',
    });
    expect(health(s).status).toBe('Healthy');
  });

  it('never times out a scale of a settled Deployment (issue #14, fault 1)', () => {
    // Settled at t0 with 3 replicas; 10 minutes later replicas 3 → 5.
    const settled = deploymentStatus(
      input({ previous: undefined, newRS: rs('web-5f6b', 3, 3), oldRSs: [] }),
    );
    expect(progressing(settled)?.reason).toBe('NewReplicaSetAvailable');
    const scale = { replicas: 5, oldRSs: [], previous: settled };
    // The scaling event itself (sync path), then the resyncs while the 2 new pods start.
    let s = deploymentStatus(
      input({ ...scale, scaleOnly: true, newRS: rs('web-5f6b', 5, 3), now: at(600) }),
    );
    for (const [n, ready, second] of [
      [3, 3, 601],
      [5, 3, 700],
      [5, 4, 800],
    ] as const) {
      s = deploymentStatus(
        input({ ...scale, previous: s, newRS: rs('web-5f6b', 5, n, ready), now: at(second) }),
      );
      expect(progressing(s)).toMatchObject({
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        lastUpdateTime: progressing(settled)?.lastUpdateTime,
      });
      expect(health(s, 5).status).toBe('Progressing');
    }
    s = deploymentStatus(
      input({ ...scale, previous: s, newRS: rs('web-5f6b', 5, 5, 5), now: at(900) }),
    );
    expect(health(s, 5).status).toBe('Healthy');
  });

  it('says when availability drops below replicas - maxUnavailable, and when paused', () => {
    const s = deploymentStatus(
      input({ newRS: rs('web-5f6b', 0, 0), oldRSs: [rs('web-7d9c', 3, 3, 2)] }),
    );
    expect(s.conditions.find((c) => c.type === 'Available')).toMatchObject({
      status: 'False',
      reason: 'MinimumReplicasUnavailable',
    });
    expect(s.unavailableReplicas).toBe(1);
    expect(progressing(deploymentStatus(input({ paused: true })))).toMatchObject({
      status: 'Unknown',
      reason: 'DeploymentPaused',
    });
  });
});
