import type { DeploymentSpec, ReplicaSetSpec } from '../manifests/generated/k8s-objects.js';
import type { Result } from '../queue/index.js';
import { asKind, ofKind, type Stored, storeKey } from '../store/index.js';
import {
  type Controller,
  type ControllerContext,
  type ControllerDeps,
  type ObjectRequest,
  recordEvent,
} from './controller.js';
import { controllerRef, inheritedAnnotations } from './owned.js';
import { podMayRun } from './pod-facts.js';
import {
  DESIRED_REPLICAS,
  type DeploymentStatus,
  type DeploymentStatusInput,
  deploymentStatus,
  isScalingEvent,
  MAX_REPLICAS,
  nonNegativeInt32,
  podTemplateHash,
  progressCheckAfterMs,
  progressSpec,
  proportionalScale,
  type ReplicaSetPods,
  type ReplicaSetState,
  replicasAnnotations,
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
export const deploymentController: Controller<'Deployment'> = {
  kind: 'Deployment',
  queue: 'reconcile',
  reconcile: reconcileDeployment,
};

async function reconcileDeployment(
  deps: ControllerContext,
  { key }: ObjectRequest,
  d: Stored<'Deployment'> | undefined,
): Promise<Result | undefined> {
  if (!d) return;
  const spec = d.spec;
  const replicas = spec.replicas ?? 1;
  const strategy: Strategy =
    spec.strategy?.type === 'Recreate'
      ? { type: 'Recreate' }
      : { type: 'RollingUpdate', ...(spec.strategy?.rollingUpdate ?? {}) };

  // The template (with its berth.dev/config-hash, added when the revision was stored) names the ReplicaSet.
  const template = spec.template;
  const hash = podTemplateHash(template);
  const all = ofKind(await deps.store.children(key), 'ReplicaSet');
  let newRS = all.find((rs) => rs.metadata.labels?.[POD_TEMPLATE_HASH] === hash);
  const oldRSs = all.filter((rs) => rs !== newRS);
  let created = false;
  // A paused Deployment or a scaling event takes Kubernetes' `sync` path: proportional scaling,
  // counts and Available only, no progress estimate (a scale never times out a rollout).
  const scaleOnly =
    (spec.paused ?? false) ||
    isScalingEvent(replicas, [...(newRS ? [newRS] : []), ...oldRSs].map(state));
  if (!newRS && !scaleOnly) {
    newRS = await createReplicaSet(deps, d, spec, strategy, template, hash, all);
    created = true;
    await recordEvent(
      deps,
      d,
      'Normal',
      'ScalingReplicaSet',
      `Created new replica set ${newRS.metadata.name}`,
    );
  } else if (newRS && newRS.spec.minReadySeconds !== spec.minReadySeconds) {
    newRS = await setReplicas(
      deps,
      newRS,
      replicasOf(newRS),
      replicas,
      strategy,
      spec.minReadySeconds,
    );
  }

  // One step: proportional on the sync path; else the new ReplicaSet up first, the old ones down.
  const step = scaleOnly
    ? proportionalScale(
        {
          replicas,
          strategy,
          statusReplicas: d.status?.replicas ?? 0,
        },
        newRS ? state(newRS) : undefined,
        oldRSs.map(state),
      )
    : rolloutStep(
        replicas,
        strategy,
        state(newRS as Stored<'ReplicaSet'>),
        oldRSs.map(state),
        strategy.type === 'Recreate' ? await oldPodsRunning(deps, oldRSs) : 0,
      );
  for (const [name, count] of step) {
    const rs: Stored<'ReplicaSet'> | undefined =
      name === newRS?.metadata.name ? newRS : oldRSs.find((o) => o.metadata.name === name);
    if (!rs) continue;
    const before = replicasOf(rs);
    const updated = await setReplicas(deps, rs, count, replicas, strategy);
    if (rs === newRS) newRS = updated;
    else oldRSs[oldRSs.indexOf(rs)] = updated;
    if (count !== before)
      await recordEvent(
        deps,
        d,
        'Normal',
        'ScalingReplicaSet',
        `Scaled ${count > before ? 'up' : 'down'} replica set ${name} to ${count} from ${before}`,
      );
  }
  await pruneHistory(deps, spec.revisionHistoryLimit ?? 10, oldRSs);
  const previous = d.status;
  const now = deps.now();
  const input = statusInput(d, spec, strategy, newRS, oldRSs, created, scaleOnly, now);
  const status = await writeStatus(deps, d, input);

  // Look again when the progress deadline could pass (requeueStuckDeployment); progress itself
  // wakes us through the ReplicaSets.
  const after = progressCheckAfterMs(progressSpec(input), status, status, now);
  if (spec.paused || after === undefined || previous === undefined) return;
  return { requeueAfterMs: after + 1000 };
}

async function createReplicaSet(
  deps: ControllerDeps,
  d: Stored<'Deployment'>,
  spec: DeploymentSpec,
  strategy: Strategy,
  template: DeploymentSpec['template'],
  hash: string,
  existing: readonly Stored<'ReplicaSet'>[],
): Promise<Stored<'ReplicaSet'>> {
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
      annotations: {
        ...inheritedAnnotations(d),
        [REVISION]: String(revision),
        ...replicasAnnotations(spec.replicas ?? 1, strategy),
      },
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
  return asKind('ReplicaSet', object);
}

/** Sets spec.replicas of a ReplicaSet and the Deployment's size annotations on it (scaleReplicaSet). */
async function setReplicas(
  deps: ControllerDeps,
  rs: Stored<'ReplicaSet'>,
  replicas: number,
  deploymentReplicas: number,
  strategy: Strategy,
  minReadySeconds = rs.spec.minReadySeconds,
): Promise<Stored<'ReplicaSet'>> {
  const { status: _s, ...body } = rs;
  const spec: ReplicaSetSpec = { ...rs.spec, replicas };
  if (minReadySeconds === undefined) delete spec.minReadySeconds;
  else spec.minReadySeconds = minReadySeconds;
  const metadata = {
    ...body.metadata,
    annotations: {
      ...(body.metadata.annotations ?? {}),
      ...replicasAnnotations(deploymentReplicas, strategy),
    },
  };
  const { object, changed } = await deps.store.apply({ ...body, metadata, spec });
  if (changed) await deps.enqueue(storeKey(object));
  return { ...asKind('ReplicaSet', object), status: rs.status };
}

/** Deletes the oldest scaled-down ReplicaSets beyond the history limit. */
async function pruneHistory(
  deps: ControllerDeps,
  limit: number,
  oldRSs: readonly Stored<'ReplicaSet'>[],
): Promise<void> {
  const idle = oldRSs
    .filter((rs) => replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) {
    const key = storeKey(rs);
    await deps.store.delete(key);
    await deps.enqueue(key);
  }
}

function statusInput(
  d: Stored<'Deployment'>,
  spec: DeploymentSpec,
  strategy: Strategy,
  newRS: Stored<'ReplicaSet'> | undefined,
  oldRSs: readonly Stored<'ReplicaSet'>[],
  created: boolean,
  scaleOnly: boolean,
  now: Date,
): DeploymentStatusInput {
  return {
    name: d.metadata.name,
    generation: d.metadata.generation,
    replicas: spec.replicas ?? 1,
    paused: spec.paused ?? false,
    strategy,
    ...(spec.progressDeadlineSeconds !== undefined
      ? { progressDeadlineSeconds: spec.progressDeadlineSeconds }
      : {}),
    newRS: newRS ? pods(newRS) : undefined,
    newRSCreated: created,
    oldRSs: oldRSs.map(pods),
    scaleOnly,
    ...(d.status ? { previous: d.status } : {}),
    now,
  };
}

async function writeStatus(
  deps: ControllerDeps,
  d: Stored<'Deployment'>,
  input: DeploymentStatusInput,
): Promise<DeploymentStatus> {
  const status = deploymentStatus(input);
  if (JSON.stringify(status) !== JSON.stringify(d.status)) {
    await deps.store.putStatus(storeKey(d), status);
    const before = d.status?.conditions?.find((c) => c.type === 'Progressing');
    const after = status.conditions.find((c) => c.type === 'Progressing');
    if (after?.reason === 'ProgressDeadlineExceeded' && before?.reason !== after.reason) {
      await recordEvent(deps, d, 'Warning', 'ProgressDeadlineExceeded', after.message);
    }
  }
  return status;
}

function replicasOf(rs: Stored<'ReplicaSet'>): number {
  return rs.spec.replicas ?? 0;
}

function revisionOf(rs: Stored<'ReplicaSet'>): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0);
}

function state(rs: Stored<'ReplicaSet'>): ReplicaSetState {
  const s = rs.status;
  return {
    name: rs.metadata.name,
    replicas: replicasOf(rs),
    available: s?.availableReplicas ?? 0,
    createdAt: revisionOf(rs),
    ...optional('desiredReplicas', nonNegativeInt32(rs.metadata.annotations?.[DESIRED_REPLICAS])),
    ...optional('maxReplicas', nonNegativeInt32(rs.metadata.annotations?.[MAX_REPLICAS])),
  };
}

function pods(rs: Stored<'ReplicaSet'>): ReplicaSetPods {
  const s = rs.status;
  return {
    name: rs.metadata.name,
    desired: replicasOf(rs),
    replicas: s?.replicas ?? 0,
    ready: s?.readyReplicas ?? 0,
    available: s?.availableReplicas ?? 0,
  };
}

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}

/**
 * Kubernetes' oldPodsRunning (deployment recreate.go), as a count: the old ReplicaSets' pods
 * in their status, plus every pod of theirs not finished — a terminating one included, so a
 * Recreate starts the new pods only once the old ones are gone from the host.
 */
async function oldPodsRunning(deps: ControllerDeps, oldRSs: readonly Stored<'ReplicaSet'>[]) {
  let n = 0;
  for (const rs of oldRSs) {
    n += rs.status?.replicas ?? 0;
    const pods = ofKind(await deps.store.children(storeKey(rs)), 'Pod');
    n += pods.filter((p) => podMayRun(p)).length;
  }
  return n;
}
