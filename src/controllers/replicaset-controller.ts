import type { Result } from '../queue/index.js';
import { controllerOf, ofKind, type Stored, storeKey } from '../store/index.js';
import {
  type Controller,
  type ControllerContext,
  type ControllerDeps,
  type ObjectRequest,
  recordEvent,
} from './controller.js';
import { createPodFromTemplate, generateName, readySince } from './owned.js';
import { podActive, podMayRun } from './pod-facts.js';
import {
  deletionCost,
  podsToDelete,
  type RankedPod,
  type ReplicaSetStatus,
  replicaSetStatus,
  slowStartBatch,
} from './replicaset/index.js';

export type { ReplicaSetStatus } from './replicaset/index.js';

/**
 * ReplicaSet: keeps `spec.replicas` pods of its template in the store (the node runs them).
 * Creates the missing ones named `<rs>-<random>` (slow start: batches of 1, 2, 4...); deletes
 * the surplus in Kubernetes' ActivePods order; reports the status as Kubernetes' calculateStatus
 * (ReplicaFailure when a create or delete failed), and wakes its owner (a Deployment) when that
 * changes.
 * As Kubernetes, it counts only active pods (FilterActivePods: not terminating, not finished): a
 * pod being deleted is replaced at once and is left out of the status but for
 * terminatingReplicas.
 */
export const replicaSetController: Controller<'ReplicaSet'> = {
  kind: 'ReplicaSet',
  queue: 'reconcile',
  reconcile: reconcileReplicaSet,
};

async function reconcileReplicaSet(
  deps: ControllerContext,
  { key, namespace, name }: ObjectRequest,
  rs: Stored<'ReplicaSet'> | undefined,
): Promise<Result | undefined> {
  if (!rs) return;
  const spec = rs.spec;
  const want = spec.replicas ?? 1;
  const owned = ofKind(await deps.store.children(key), 'Pod');
  let pods = owned.filter((p) => podActive(p));
  let terminatingAfter = owned.filter((p) => !podActive(p) && podMayRun(p)).length;
  const now = deps.now().getTime();
  let manageError: unknown;
  if (pods.length < want) {
    const made: Stored<'Pod'>[] = [];
    const { error } = await slowStartBatch(want - pods.length, 1, async () => {
      made.push(await createPod(deps, rs, namespace, name));
    });
    manageError = error;
    pods = [...pods, ...made];
    if (made.length > 0)
      await recordEvent(
        deps,
        rs,
        'Normal',
        'SuccessfulCreate',
        `Created pod${made.length > 1 ? 's' : ''}: ${made.map((p) => p.metadata.name).join(', ')}`,
      );
  } else if (pods.length > want) {
    const ranked = pods.map(rankedPod);
    const doomed = podsToDelete(ranked, ranked, pods.length - want, now).map((r) => r.object);
    for (const pod of doomed) {
      const podKey = storeKey(pod);
      await deps.store.delete(podKey);
      await deps.enqueue(podKey);
    }
    terminatingAfter += doomed.length;
    const gone = new Set(doomed);
    pods = pods.filter((p) => !gone.has(p));
    await recordEvent(
      deps,
      rs,
      'Normal',
      'SuccessfulDelete',
      `Deleted pod${doomed.length > 1 ? 's' : ''}: ${doomed.map((p) => p.metadata.name).join(', ')}`,
    );
  }

  // Status: availability is readiness held for minReadySeconds.
  const minReadyMs = (spec.minReadySeconds ?? 0) * 1000;
  let nextAvailableMs: number | undefined;
  for (const pod of pods) {
    const since = readySince(pod);
    if (since === undefined) continue;
    const wait = since + minReadyMs - now;
    if (wait >= 0) nextAvailableMs = Math.min(nextAvailableMs ?? wait, wait);
  }
  const status: ReplicaSetStatus = {
    ...replicaSetStatus({
      generation: rs.metadata.generation,
      replicas: want,
      minReadySeconds: spec.minReadySeconds ?? 0,
      templateLabels: spec.template.metadata?.labels ?? {},
      pods: pods.map((p) => {
        const since = readySince(p);
        return {
          labels: p.metadata.labels ?? {},
          ready: since !== undefined,
          ...(since ? { readySinceMs: since } : {}),
        };
      }),
      conditions: rs.status?.conditions ?? [],
      ...(manageError !== undefined ? { manageError: String(manageError) } : {}),
      nowMs: now,
    }),
    terminatingReplicas: terminatingAfter,
  };
  if (JSON.stringify(status) !== JSON.stringify(rs.status)) {
    await deps.store.putStatus(key, status);
    const owner = controllerOf(rs);
    if (owner) await deps.enqueue(owner);
  }
  if (manageError !== undefined) throw manageError;
  return nextAvailableMs === undefined ? {} : { requeueAfterMs: nextAvailableMs + 50 };
}

async function createPod(
  deps: ControllerDeps,
  rs: Stored<'ReplicaSet'>,
  namespace: string,
  name: string,
): Promise<Stored<'Pod'>> {
  return createPodFromTemplate(deps, rs, {
    name: generateName(name),
    namespace,
    template: rs.spec.template,
  });
}

/** What Kubernetes' deletion ranking reads of a stored pod (one node: scheduled once it reports). */
function rankedPod(pod: Stored<'Pod'>): RankedPod & { object: Stored<'Pod'> } {
  const status = pod.status;
  const since = readySince(pod);
  const created = Date.parse(pod.metadata.creationTimestamp);
  return {
    object: pod,
    name: pod.metadata.name,
    // Berth's pods never carry spec.nodeName (the schema has no such field): scheduled once the node reports.
    nodeName: status?.hostIP ? 'node' : '',
    phase: status?.phase ?? 'Pending',
    ready: since !== undefined,
    ...(since ? { readySinceMs: since } : {}),
    maxRestarts: Math.max(0, ...(status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0)),
    ...(Number.isNaN(created) ? {} : { createdMs: created }),
    deletionCost: deletionCost(pod.metadata.annotations),
    uid: pod.metadata.uid,
  };
}
