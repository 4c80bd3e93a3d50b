import type { Result } from '../queue/index.js';
import { controllerOf, type StoredObject, storeKey } from '../store/index.js';
import {
  type Controller,
  type ControllerContext,
  type ControllerDeps,
  type ObjectRequest,
  recordEvent,
} from './controller.js';
import { controllerRef, generateName, inheritedAnnotations, readySince } from './owned.js';
import { podActive, podMayRun } from './pod-facts.js';

/** The fields of an apps/v1 ReplicaSet this controller reads. */
interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  template: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: Record<string, unknown>;
  };
}

/** apps/v1 ReplicaSetStatus. */
export interface ReplicaSetStatus {
  observedGeneration: number;
  replicas: number;
  fullyLabeledReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  /**
   * Pods being deleted whose containers may still run (deletionTimestamp set, not finished):
   * Kubernetes 1.35's field (DeploymentReplicaSetTerminatingReplicas, on by default). Its
   * change when the node removes one wakes the Deployment (a Recreate waits for them).
   */
  terminatingReplicas: number;
}

/**
 * ReplicaSet: keeps `spec.replicas` pods of its template in the store (the node runs them).
 * Creates the missing ones named `<rs>-<random>`; deletes the surplus, not-ready and newest
 * first (Kubernetes' ranking, simplified); reports replicas, ready and available (ready for
 * minReadySeconds) pods, and wakes its owner (a Deployment) when that changes. As Kubernetes,
 * it counts only active pods (FilterActivePods: not terminating, not finished): a pod being
 * deleted is replaced at once and is left out of the status but for terminatingReplicas.
 */
export const replicaSetController: Controller = {
  kind: 'ReplicaSet',
  queue: 'reconcile',
  reconcile: reconcileReplicaSet,
};

async function reconcileReplicaSet(
  deps: ControllerContext,
  { key, namespace, name }: ObjectRequest,
  rs: StoredObject | undefined,
): Promise<Result | undefined> {
  if (!rs) return;
  const spec = rs.spec as ReplicaSetSpec;
  const want = spec.replicas ?? 1;
  const owned = (await deps.store.children(key)).filter((o) => o.kind === 'Pod');
  let pods = owned.filter((p) => podActive(p));
  let terminatingAfter = owned.filter((p) => !podActive(p) && podMayRun(p)).length;
  if (pods.length < want) {
    const made = await createPods(deps, rs, want - pods.length, namespace, name);
    pods = [...pods, ...made];
    await recordEvent(
      deps,
      rs,
      'Normal',
      'SuccessfulCreate',
      `Created pod${made.length > 1 ? 's' : ''}: ${made.map((p) => p.metadata.name).join(', ')}`,
    );
  } else if (pods.length > want) {
    const doomed = [...pods].sort(deletionOrder).slice(0, pods.length - want);
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
  const now = deps.now().getTime();
  const minReadyMs = (spec.minReadySeconds ?? 0) * 1000;
  let ready = 0;
  let available = 0;
  let nextAvailableMs: number | undefined;
  for (const pod of pods) {
    const since = readySince(pod);
    if (since === undefined) continue;
    ready++;
    const wait = since + minReadyMs - now;
    if (wait <= 0) available++;
    else nextAvailableMs = Math.min(nextAvailableMs ?? wait, wait);
  }
  const status: ReplicaSetStatus = {
    observedGeneration: rs.metadata.generation,
    replicas: pods.length,
    fullyLabeledReplicas: pods.length,
    readyReplicas: ready,
    availableReplicas: available,
    terminatingReplicas: terminatingAfter,
  };
  if (JSON.stringify(status) !== JSON.stringify(rs.status)) {
    await deps.store.putStatus(key, status);
    const owner = controllerOf(rs);
    if (owner) await deps.enqueue(owner);
  }
  return nextAvailableMs === undefined ? {} : { requeueAfterMs: nextAvailableMs + 50 };
}

async function createPods(
  deps: ControllerDeps,
  rs: StoredObject,
  count: number,
  namespace: string,
  name: string,
): Promise<StoredObject[]> {
  const { template } = rs.spec as ReplicaSetSpec;
  const made: StoredObject[] = [];
  for (let i = 0; i < count; i++) {
    const { object } = await deps.store.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: generateName(name),
        namespace,
        labels: { ...(template.metadata?.labels ?? {}) },
        annotations: { ...(template.metadata?.annotations ?? {}), ...inheritedAnnotations(rs) },
        ownerReferences: [controllerRef(rs)],
      },
      spec: template.spec,
    });
    made.push(object);
    await deps.enqueue(storeKey(object));
  }
  return made;
}

/** Pods to delete first: not ready before ready, then the most recently ready, then the newest. */
function deletionOrder(a: StoredObject, b: StoredObject): number {
  const ra = readySince(a);
  const rb = readySince(b);
  if ((ra === undefined) !== (rb === undefined)) return ra === undefined ? -1 : 1;
  if (ra !== undefined && rb !== undefined && ra !== rb) return rb - ra;
  return b.metadata.creationTimestamp.localeCompare(a.metadata.creationTimestamp);
}
