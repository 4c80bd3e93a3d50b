import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { EndpointsLike } from '../../../src/health/health-service.js';
import { aggregateHealth, type LiveObject, objectHealth } from '../../../src/health/index.js';

/** Reads a fixture: the object, and for a Service the Endpoints document after it. */
function fixture(name: string): { obj: LiveObject; endpoints?: EndpointsLike } {
  const docs = parseAllDocuments(
    readFileSync(new URL(`fixtures/${name}.yaml`, import.meta.url), 'utf8'),
  );
  const [obj, endpoints] = docs.map((d) => d.toJS());
  return { obj, endpoints };
}

describe('objectHealth', () => {
  it.each([
    ['deployment-healthy', 'Healthy', 'RolloutComplete'],
    ['deployment-degraded', 'Degraded', 'ProgressDeadlineExceeded'],
    ['deployment-updating', 'Progressing', 'RolloutInProgress'],
    ['deployment-old-pods', 'Progressing', 'RolloutInProgress'],
    ['deployment-not-ready', 'Progressing', 'RolloutInProgress'],
    ['deployment-unobserved', 'Progressing', 'ObservedGenerationBehind'],
    ['deployment-paused', 'Suspended', 'DeploymentPaused'],
    ['replicaset-failure', 'Degraded', 'FailedCreate'],
    ['pod-running-ready', 'Healthy', 'Ready'],
    ['pod-crashloop', 'Degraded', 'CrashLoopBackOff'],
    ['pod-imagepull', 'Degraded', 'ImagePullBackOff'],
    ['pod-failed', 'Degraded', 'PodFailed'],
    ['pod-starting', 'Progressing', 'Pending'],
    ['pod-restarted-not-ready', 'Degraded', 'ContainerRestarted'],
    ['pod-job-running', 'Progressing', 'Running'],
    ['service-no-endpoints', 'Progressing', 'NoReadyEndpoints'],
    ['service-ready', 'Healthy', 'EndpointsReady'],
    ['service-external-name', 'Healthy', 'NoSelector'],
    ['job-failed', 'Degraded', 'BackoffLimitExceeded'],
    ['job-complete', 'Healthy', 'Complete'],
    ['job-running', 'Progressing', 'JobRunning'],
    ['statefulset-rolling', 'Progressing', 'RolloutInProgress'],
    ['statefulset-healthy', 'Healthy', 'RolloutComplete'],
    ['daemonset-updating', 'Progressing', 'RolloutInProgress'],
    ['pvc-pending', 'Progressing', 'Pending'],
    ['configmap', 'Healthy', 'Exists'],
  ])('%s is %s (%s)', (name, status, reason) => {
    const { obj, endpoints } = fixture(name);
    expect(objectHealth(obj, endpoints ? { endpoints } : {})).toMatchObject({ status, reason });
  });

  it('says why, in words a person can act on', () => {
    expect(objectHealth(fixture('deployment-updating').obj).message).toBe(
      'Waiting for rollout to finish: 2 of 3 new replicas have been updated',
    );
    expect(objectHealth(fixture('pod-imagepull').obj).message).toBe(
      'container web: ImagePullBackOff (pull access denied for nope/web:9)',
    );
    expect(objectHealth(fixture('pod-failed').obj).message).toBe(
      'container migrate exited with code 3 (Error)',
    );
    expect(objectHealth(fixture('service-no-endpoints').obj, {}).message).toBe(
      'no pod matches the selector yet',
    );
  });

  it('is Missing for a desired object that does not exist', () => {
    expect(objectHealth(undefined).status).toBe('Missing');
  });
});

describe('aggregateHealth', () => {
  const h = (key: string, name: string) => ({ key, health: objectHealth(fixture(name).obj) });

  it('is the worst member, naming the objects at fault', () => {
    const agg = aggregateHealth([
      h('Deployment/default/web', 'deployment-degraded'),
      h('Pod/default/web-7d9c-abcde', 'pod-crashloop'),
      h('Job/default/migrate', 'job-running'),
      h('ConfigMap/default/web-content', 'configmap'),
    ]);
    expect(agg.status).toBe('Degraded');
    expect(agg.atFault.map((i) => i.key)).toEqual([
      'Deployment/default/web',
      'Pod/default/web-7d9c-abcde',
    ]);
    expect(agg.message).toMatch(
      /^Deployment\/default\/web: ProgressDeadlineExceeded: ReplicaSet "web-5f6b" has timed out/,
    );
  });

  it('ranks Missing above Progressing and Suspended, and an empty set is Healthy', () => {
    const missing = { key: 'Service/default/api', health: objectHealth(undefined) };
    expect(
      aggregateHealth([h('Deployment/default/web', 'deployment-paused'), missing]).status,
    ).toBe('Missing');
    expect(
      aggregateHealth([
        h('Deployment/default/web', 'deployment-paused'),
        h('Job/default/x', 'job-complete'),
      ]).status,
    ).toBe('Suspended');
    expect(aggregateHealth([])).toEqual({ status: 'Healthy', atFault: [] });
  });
});
