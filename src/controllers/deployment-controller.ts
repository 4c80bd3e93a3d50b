import type { DeploymentSpec, ReplicaSetSpec } from '../manifests/generated/k8s-objects.js';
import type { Result } from '../queue/index.js';
import { type StoredObject, storeKey } from '../store/index.js';
import {
  type Controller,
  type ControllerContext,
  type ControllerDeps,
  type ObjectRequest,
  recordEvent,
} from './controller.js';
import { controllerRef, inheritedAnnotations } from './owned.js';
import type { ReplicaSetStatus } from './replicaset-controller.js';
import {
  type DeploymentStatus,
  deploymentStatus,
  podTemplateHash,
  type ReplicaSetPods,
  type ReplicaSetState,
  rolloutStep,
  type Strategy,
} from './rollout/index.js';

/** The label that names a pod template's revision, on ReplicaSets and their pods. */
export const POD_TEMPLATE_HASH = 'pod-template-hash';
/** The revision number Kubernetes writes on a Deployment's ReplicaSets. */
export const REVISION = 'deployment.kubernetes.io/revision';

/**
 * Deployment: one ReplicaSet per pod template (named `<deployment>-<pod-template-hash>`; the
 * template carries the hash of the ConfigMaps and Secrets it uses), scaled step by step with
 * Kubernetes' rolling-update arithmetic (or Recreate), old ones kept down to
 * revisionHistoryLimit; status and conditions as Kubernetes' deployment controller writes them,
 * ProgressDeadlineExceeded included.
 */
export const deploymentController: Controller = {
  kind: 'Deployment',
  queue: 'reconcile',
  reconcile: reconcileDeployment,
};

async function reconcileDeployment(
  deps: ControllerContext,
  { key }: ObjectRequest,
  d: StoredObject | undefined,
): Promise<Result | undefined> {
  if (!d) return;
  const spec = d.spec as DeploymentSpec;
  const replicas = spec.replicas ?? 1;
  const strategy: Strategy =
    spec.strategy?.type === 'Recreate'
      ? { type: 'Recreate' }
      : { type: 'RollingUpdate', ...(spec.strategy?.rollingUpdate ?? {}) };

  // The template (with its berth.dev/config-hash, added when the revision was stored) names the ReplicaSet.
  const template = spec.template;
  const hash = podTemplateHash(template);
  const all = (await deps.store.children(key)).filter((o) => o.kind === 'ReplicaSet');
  let newRS = all.find((rs) => rs.metadata.labels?.[POD_TEMPLATE_HASH] === hash);
  const oldRSs = all.filter((rs) => rs !== newRS);
  let created = false;
  if (spec.paused && !newRS) {
    await writeStatus(deps, d, spec, strategy, undefined, oldRSs, false);
    return;
  }
  if (!newRS) {
    newRS = await createReplicaSet(deps, d, spec, template, hash, all);
    created = true;
    await recordEvent(
      deps,
      d,
      'Normal',
      'ScalingReplicaSet',
      `Created new replica set ${newRS.metadata.name}`,
    );
  } else if ((newRS.spec as ReplicaSetSpec).minReadySeconds !== spec.minReadySeconds) {
    newRS = await setReplicas(deps, newRS, replicasOf(newRS), spec.minReadySeconds);
  }

  // One rollout step: the new ReplicaSet up first, the old ones down by availability.
  if (!spec.paused) {
    const step = rolloutStep(
      replicas,
      strategy,
      state(newRS),
      oldRSs.map(state),
      oldRSs.reduce((n, rs) => n + ((rs.status as ReplicaSetStatus | undefined)?.replicas ?? 0), 0),
    );
    for (const [name, count] of step) {
      const rs: StoredObject | undefined =
        name === newRS.metadata.name ? newRS : oldRSs.find((o) => o.metadata.name === name);
      if (!rs) continue;
      const before = replicasOf(rs);
      const updated = await setReplicas(deps, rs, count);
      if (rs === newRS) newRS = updated;
      else oldRSs[oldRSs.indexOf(rs)] = updated;
      await recordEvent(
        deps,
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${count > before ? 'up' : 'down'} replica set ${name} to ${count} from ${before}`,
      );
    }
  }
  await pruneHistory(deps, spec.revisionHistoryLimit ?? 10, oldRSs);
  const status = await writeStatus(deps, d, spec, strategy, newRS, oldRSs, created);

  // Look again when the progress deadline could pass; progress itself wakes us through the ReplicaSets.
  const progressing = status.conditions.find((c) => c.type === 'Progressing');
  if (
    spec.paused ||
    progressing?.status !== 'True' ||
    progressing.reason === 'NewReplicaSetAvailable'
  )
    return;
  const deadline =
    Date.parse(progressing.lastUpdateTime) + (spec.progressDeadlineSeconds ?? 600) * 1000;
  return { requeueAfterMs: Math.max(100, deadline - deps.now().getTime() + 100) };
}

async function createReplicaSet(
  deps: ControllerDeps,
  d: StoredObject,
  spec: DeploymentSpec,
  template: DeploymentSpec['template'],
  hash: string,
  existing: readonly StoredObject[],
): Promise<StoredObject> {
  const revision =
    1 +
    existing.reduce((n, rs) => Math.max(n, Number(rs.metadata.annotations?.[REVISION] ?? 0)), 0);
  const labels = { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
  const { object } = await deps.store.apply({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace ?? 'default',
      labels,
      annotations: { ...inheritedAnnotations(d), [REVISION]: String(revision) },
      ownerReferences: [controllerRef(d)],
    },
    spec: {
      replicas: 0,
      ...(spec.minReadySeconds !== undefined ? { minReadySeconds: spec.minReadySeconds } : {}),
      selector: {
        ...spec.selector,
        matchLabels: { ...(spec.selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash },
      },
      template: { ...template, metadata: { ...template.metadata, labels } },
    },
  });
  return object;
}

async function setReplicas(
  deps: ControllerDeps,
  rs: StoredObject,
  replicas: number,
  minReadySeconds = (rs.spec as ReplicaSetSpec).minReadySeconds,
): Promise<StoredObject> {
  const { status: _s, ...body } = rs;
  const spec: ReplicaSetSpec = { ...(rs.spec as ReplicaSetSpec), replicas };
  if (minReadySeconds === undefined) delete spec.minReadySeconds;
  else spec.minReadySeconds = minReadySeconds;
  const { object, changed } = await deps.store.apply({ ...body, spec });
  if (changed) await deps.enqueue(storeKey(object));
  return { ...object, status: rs.status };
}

/** Deletes the oldest scaled-down ReplicaSets beyond the history limit. */
async function pruneHistory(
  deps: ControllerDeps,
  limit: number,
  oldRSs: readonly StoredObject[],
): Promise<void> {
  const idle = oldRSs
    .filter((rs) => replicasOf(rs) === 0 && ((rs.status as ReplicaSetStatus)?.replicas ?? 0) === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
    const key = storeKey(rs);
    await deps.store.delete(key);
    await deps.enqueue(key);
  }
}

async function writeStatus(
  deps: ControllerDeps,
  d: StoredObject,
  spec: DeploymentSpec,
  strategy: Strategy,
  newRS: StoredObject | undefined,
  oldRSs: readonly StoredObject[],
  created: boolean,
): Promise<DeploymentStatus> {
  const status = deploymentStatus({
    generation: d.metadata.generation,
    replicas: spec.replicas ?? 1,
    paused: spec.paused ?? false,
    strategy,
    ...(spec.progressDeadlineSeconds !== undefined
      ? { progressDeadlineSeconds: spec.progressDeadlineSeconds }
      : {}),
    newRS: newRS ? pods(newRS) : { name: '', replicas: 0, ready: 0, available: 0 },
    newRSCreated: created,
    oldRSs: oldRSs.map(pods),
    ...(d.status ? { previous: d.status as DeploymentStatus } : {}),
    now: deps.now(),
  });
  if (JSON.stringify(status) !== JSON.stringify(d.status)) {
    await deps.store.putStatus(storeKey(d), status);
    const before = (d.status as DeploymentStatus | undefined)?.conditions?.find(
      (c) => c.type === 'Progressing',
    );
    const after = status.conditions.find((c) => c.type === 'Progressing');
    if (after?.reason === 'ProgressDeadlineExceeded' && before?.reason !== after.reason) {
      await recordEvent(deps, d, 'Warning', 'ProgressDeadlineExceeded', after.message);
    }
  }
  return status;
}

function replicasOf(rs: StoredObject): number {
  return (rs.spec as ReplicaSetSpec).replicas ?? 0;
}

function revisionOf(rs: StoredObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0);
}

function state(rs: StoredObject): ReplicaSetState {
  const s = rs.status as ReplicaSetStatus | undefined;
  return {
    name: rs.metadata.name,
    replicas: replicasOf(rs),
    available: s?.availableReplicas ?? 0,
    createdAt: revisionOf(rs),
  };
}

function pods(rs: StoredObject): ReplicaSetPods {
  const s = rs.status as ReplicaSetStatus | undefined;
  return {
    name: rs.metadata.name,
    replicas: s?.replicas ?? 0,
    ready: s?.readyReplicas ?? 0,
    available: s?.availableReplicas ?? 0,
  };
}
