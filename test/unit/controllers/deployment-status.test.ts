import { describe, expect, it } from 'vitest';
import {
  type DeploymentStatus,
  type DeploymentStatusInput,
  deploymentStatus,
} from '../../../src/controllers/rollout/index.js';
import { objectHealth } from '../../../src/health/index.js';

const t0 = new Date('2026-11-23T10:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

function input(over: Partial<DeploymentStatusInput>): DeploymentStatusInput {
  return {
    generation: 2,
    replicas: 3,
    paused: false,
    strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 },
    progressDeadlineSeconds: 60,
    newRS: { name: 'web-5f6b', replicas: 1, ready: 0, available: 0 },
    newRSCreated: false,
    oldRSs: [{ name: 'web-7d9c', replicas: 3, ready: 3, available: 3 }],
    now: t0,
    ...over,
  };
}

const progressing = (s: DeploymentStatus) => s.conditions.find((c) => c.type === 'Progressing');
const health = (s: DeploymentStatus) =>
  objectHealth({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { generation: 2 },
    spec: { replicas: 3 },
    status: s,
  });

describe('deploymentStatus', () => {
  it('counts pods over ReplicaSets and reports a new rollout as Progressing', () => {
    const s = deploymentStatus(input({ newRSCreated: true }));
    expect(s).toMatchObject({
      replicas: 4,
      updatedReplicas: 1,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 0,
    });
    expect(s.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetCreated'],
    ]);
    expect(progressing(s)?.message).toBe('Created new replica set "web-5f6b"');
    expect(health(s).status).toBe('Progressing');
  });

  it('turns ProgressDeadlineExceeded after progressDeadlineSeconds without progress, and stays so', () => {
    const s1 = deploymentStatus(input({ newRSCreated: true }));
    const s2 = deploymentStatus(input({ previous: s1, now: at(30) }));
    expect(progressing(s2)).toMatchObject({
      status: 'True',
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
    // A pod turning ready afterwards does not clear it: only a new rollout does.
    const s4 = deploymentStatus(
      input({
        previous: s3,
        now: at(70),
        newRS: { name: 'web-5f6b', replicas: 1, ready: 1, available: 1 },
      }),
    );
    expect(progressing(s4)?.reason).toBe('ProgressDeadlineExceeded');
    const next = deploymentStatus(
      input({
        previous: s4,
        now: at(80),
        newRSCreated: true,
        newRS: { name: 'web-9x8z', replicas: 1, ready: 0, available: 0 },
      }),
    );
    expect(progressing(next)).toMatchObject({ status: 'True', reason: 'NewReplicaSetCreated' });
  });

  it('restarts the deadline whenever the rollout makes progress', () => {
    const s1 = deploymentStatus(input({ newRSCreated: true }));
    const s2 = deploymentStatus(
      input({
        previous: s1,
        now: at(50),
        newRS: { name: 'web-5f6b', replicas: 1, ready: 1, available: 1 },
      }),
    );
    expect(progressing(s2)).toMatchObject({
      reason: 'ReplicaSetUpdated',
      lastUpdateTime: at(50).toISOString(),
    });
    const s3 = deploymentStatus(
      input({
        previous: s2,
        now: at(100),
        newRS: { name: 'web-5f6b', replicas: 1, ready: 1, available: 1 },
      }),
    );
    expect(progressing(s3)?.status).toBe('True');
  });

  it('reports a finished rollout as NewReplicaSetAvailable, and Healthy', () => {
    const s = deploymentStatus(
      input({
        newRS: { name: 'web-5f6b', replicas: 3, ready: 3, available: 3 },
        oldRSs: [{ name: 'web-7d9c', replicas: 0, ready: 0, available: 0 }],
      }),
    );
    expect(progressing(s)).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: 'ReplicaSet "web-5f6b" has successfully progressed.',
    });
    expect(health(s).status).toBe('Healthy');
  });

  it('says when availability drops below replicas - maxUnavailable, and when paused', () => {
    const s = deploymentStatus(
      input({ oldRSs: [{ name: 'web-7d9c', replicas: 3, ready: 2, available: 2 }] }),
    );
    expect(s.conditions[0]).toMatchObject({
      type: 'Available',
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
