import type { PodTemplateSpec, StatefulSetSpec } from '../manifests/generated/k8s-objects.js';
import type { Result } from '../queue/index.js';
import { asKind, ofKind, type Stored } from '../store/index.js';
import { objectKey } from '../util/object-key.js';
import {
  type Controller,
  type ControllerContext,
  type ControllerDeps,
  type ObjectRequest,
  recordEvent,
} from './controller.js';
import { pruneRevisions, saveRevision } from './controller-revisions.js';
import { createPodFromTemplate } from './owned.js';
import { availableAfterMs, podFacts } from './pod-facts.js';
import { podTemplateHash } from './rollout/index.js';
import {
  type OrdinalPod,
  type StatefulSetUpdateStrategy,
  statefulSetStatus,
  statefulSetStep,
} from './statefulset/index.js';
import { claimName, deleteClaims, ensureClaims, templateName } from './statefulset-claims.js';

/** The label naming the revision (`<statefulset>-<hash>`) a StatefulSet's or DaemonSet's pod runs. */
export const CONTROLLER_REVISION_HASH = 'controller-revision-hash';
/** The label with a StatefulSet pod's own name, for a Service that selects one pod. */
export const STATEFULSET_POD_NAME = 'statefulset.kubernetes.io/pod-name';
/** The label with a StatefulSet pod's ordinal. */
export const POD_INDEX = 'apps.kubernetes.io/pod-index';

/** How long to wait before looking again after deleting a pod that is to come back or be followed. */
const AFTER_DELETE_MS = 1000;

/**
 * StatefulSet: pods `<name>-<ordinal>` with stable hostnames (`hostname` = pod name, `subdomain`
 * = serviceName) and their own PersistentVolumeClaims `<template>-<name>-<ordinal>` (kept on
 * scale down and delete unless persistentVolumeClaimRetentionPolicy says Delete), started and
 * stopped in order (OrderedReady) or all at once (Parallel), updated highest ordinal first
 * (RollingUpdate with partition) or when deleted (OnDelete). Each template revision is kept as a
 * ControllerRevision `<name>-<hash>`, the pods labelled with it; status as Kubernetes writes it.
 */
export const statefulSetController: Controller<'StatefulSet'> = {
  kind: 'StatefulSet',
  queue: 'reconcile',
  reconcile: reconcileStatefulSet,
};

async function reconcileStatefulSet(
  deps: ControllerContext,
  { key, namespace, name }: ObjectRequest,
  sts: Stored<'StatefulSet'> | undefined,
): Promise<Result | undefined> {
  if (!sts) return;
  const spec = sts.spec;
  const replicas = spec.replicas ?? 1;
  const strategy: StatefulSetUpdateStrategy =
    spec.updateStrategy?.type === 'OnDelete'
      ? { type: 'OnDelete' }
      : { type: 'RollingUpdate', partition: spec.updateStrategy?.rollingUpdate?.partition ?? 0 };

  // The revision the template asks for (with its berth.dev/config-hash, added when the revision
  // was stored), kept as a ControllerRevision.
  const template = spec.template;
  const children = await deps.store.children(key);
  const revisions = children.filter((o) => o.kind === 'ControllerRevision');
  const updateRevision = `${name}-${podTemplateHash(template)}`;
  await saveRevision(deps, sts, updateRevision, template, revisions);
  const previous = sts.status;
  const currentRevision = previous?.currentRevision ?? updateRevision;
  const templates = new Map<string, PodTemplateSpec>([[updateRevision, template]]);
  for (const r of revisions) {
    const data = r.data as { spec?: { template?: PodTemplateSpec } } | undefined;
    if (data?.spec?.template && r.metadata.name !== updateRevision)
      templates.set(r.metadata.name, data.spec.template);
  }

  // One step of the control loop.
  let pods = ofKind(children, 'Pod');
  const step = statefulSetStep({
    replicas,
    podManagementPolicy: spec.podManagementPolicy ?? 'OrderedReady',
    updateStrategy: strategy,
    currentRevision: templates.has(currentRevision) ? currentRevision : updateRevision,
    updateRevision,
    pods: pods.map((p) => ordinalPod(p, name)),
  });
  for (const podName of step.delete) {
    const podKey = objectKey('Pod', namespace, podName);
    await deps.store.delete(podKey);
    await deps.enqueue(podKey);
    await recordEvent(
      deps,
      sts,
      'Normal',
      'SuccessfulDelete',
      `delete Pod ${podName} in StatefulSet ${name} successful`,
    );
    const ordinal = ordinalOf(podName, name);
    if (
      ordinal !== undefined &&
      ordinal >= replicas &&
      spec.persistentVolumeClaimRetentionPolicy?.whenScaled === 'Delete'
    ) {
      await deleteClaims(deps, sts, spec, ordinal);
    }
  }
  // A deleted pod stays, terminating, until its node has stopped it (a finished one is gone).
  if (step.delete.length > 0) pods = ofKind(await deps.store.children(key), 'Pod');
  for (const { ordinal, revision } of step.create) {
    const podTemplate = templates.get(revision) ?? template;
    await ensureClaims(deps, sts, spec, ordinal);
    pods.push(await createPod(deps, sts, spec, podTemplate, ordinal, revision));
  }

  // Status, and the revisions no pod needs beyond the history limit.
  const status = statefulSetStatus({
    generation: sts.metadata.generation,
    pods: pods.map((p) => ({ ...podFacts(p), revision: revisionOf(p) })),
    currentRevision,
    updateRevision,
    minReadySeconds: spec.minReadySeconds ?? 0,
    nowMs: deps.now().getTime(),
  });
  if (JSON.stringify(status) !== JSON.stringify(sts.status))
    await deps.store.putStatus(key, status);
  await pruneRevisions(deps, spec.revisionHistoryLimit ?? 10, revisions, [
    status.currentRevision,
    updateRevision,
    ...pods.map(revisionOf),
  ]);
  if (step.delete.length > 0) return { requeueAfterMs: AFTER_DELETE_MS };
  const wait = availableAfterMs(
    pods.map(podFacts),
    spec.minReadySeconds ?? 0,
    deps.now().getTime(),
  );
  return wait === undefined ? {} : { requeueAfterMs: wait + 50 };
}

function ordinalOf(podName: string, setName: string): number | undefined {
  if (!podName.startsWith(`${setName}-`)) return undefined;
  const rest = podName.slice(setName.length + 1);
  return /^\d+$/.test(rest) ? Number(rest) : undefined;
}

function revisionOf(pod: Stored<'Pod'>): string {
  return pod.metadata.labels?.[CONTROLLER_REVISION_HASH] ?? '';
}

function ordinalPod(pod: Stored<'Pod'>, setName: string): OrdinalPod {
  const facts = podFacts(pod);
  return {
    name: pod.metadata.name,
    // A pod of ours whose name does not parse is surplus: give it an ordinal past any replica count.
    ordinal: ordinalOf(pod.metadata.name, setName) ?? Number.MAX_SAFE_INTEGER,
    revision: revisionOf(pod),
    phase: facts.phase,
    ready: facts.ready,
    ...(facts.terminating ? { terminating: true } : {}),
  };
}

async function createPod(
  deps: ControllerDeps,
  sts: Stored<'StatefulSet'>,
  spec: StatefulSetSpec,
  template: PodTemplateSpec,
  ordinal: number,
  revision: string,
): Promise<Stored<'Pod'>> {
  const name = `${sts.metadata.name}-${ordinal}`;
  const podSpec = structuredClone(template.spec);
  podSpec.hostname = name;
  if (spec.serviceName) podSpec.subdomain = spec.serviceName;
  // Each claim template replaces the pod volume of its name.
  for (const t of spec.volumeClaimTemplates ?? []) {
    const volume = {
      name: templateName(t),
      persistentVolumeClaim: { claimName: claimName(templateName(t), sts.metadata.name, ordinal) },
    };
    podSpec.volumes = [...(podSpec.volumes ?? []).filter((v) => v.name !== volume.name), volume];
  }
  const object = await createPodFromTemplate(deps, sts, {
    name,
    namespace: sts.metadata.namespace ?? 'default',
    template,
    labels: {
      [CONTROLLER_REVISION_HASH]: revision,
      [STATEFULSET_POD_NAME]: name,
      [POD_INDEX]: String(ordinal),
    },
    spec: podSpec,
  });
  await recordEvent(
    deps,
    sts,
    'Normal',
    'SuccessfulCreate',
    `create Pod ${name} in StatefulSet ${sts.metadata.name} successful`,
  );
  return asKind('Pod', object);
}
