import type {
  PersistentVolumeClaimTemplate,
  StatefulSetSpec,
} from '../manifests/generated/k8s-objects.js';
import type { StoredObject } from '../store/index.js';
import { objectKey } from '../util/object-key.js';
import { type ControllerDeps, recordEvent } from './controller.js';
import { controllerRef, inheritedAnnotations } from './owned.js';

/** The claim of a StatefulSet pod: `<template>-<statefulset>-<ordinal>`. */
export function claimName(claim: string, setName: string, ordinal: number): string {
  return `${claim}-${setName}-${ordinal}`;
}

/**
 * The name of a claim template. The schema does not require one (nor does Kubernetes'); a
 * template without it makes `undefined-…` claims, as it always did.
 */
export function templateName(t: PersistentVolumeClaimTemplate): string {
  return String(t.metadata?.name);
}

/** Creates the claims of a pod that do not exist yet; an existing claim is never changed. */
export async function ensureClaims(
  deps: ControllerDeps,
  sts: StoredObject,
  spec: StatefulSetSpec,
  ordinal: number,
): Promise<void> {
  const namespace = sts.metadata.namespace ?? 'default';
  for (const t of spec.volumeClaimTemplates ?? []) {
    const claim = claimName(templateName(t), sts.metadata.name, ordinal);
    const claimKey = objectKey('PersistentVolumeClaim', namespace, claim);
    if (await deps.store.get(claimKey)) continue;
    const owned = spec.persistentVolumeClaimRetentionPolicy?.whenDeleted === 'Delete';
    await deps.store.apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: claim,
        namespace,
        labels: { ...(t.metadata?.labels ?? {}), ...(spec.selector?.matchLabels ?? {}) },
        annotations: inheritedAnnotations(sts),
        ...(owned ? { ownerReferences: [controllerRef(sts)] } : {}),
      },
      spec: t.spec,
    });
    await deps.enqueue(claimKey);
    await recordEvent(
      deps,
      sts,
      'Normal',
      'SuccessfulCreate',
      `create Claim ${claim} Pod ${sts.metadata.name}-${ordinal} in StatefulSet ${sts.metadata.name} success`,
    );
  }
}

/** Deletes the claims of an ordinal (persistentVolumeClaimRetentionPolicy whenScaled: Delete). */
export async function deleteClaims(
  deps: ControllerDeps,
  sts: StoredObject,
  spec: StatefulSetSpec,
  ordinal: number,
): Promise<void> {
  const namespace = sts.metadata.namespace ?? 'default';
  for (const t of spec.volumeClaimTemplates ?? []) {
    const claimKey = objectKey(
      'PersistentVolumeClaim',
      namespace,
      claimName(templateName(t), sts.metadata.name, ordinal),
    );
    await deps.store.delete(claimKey);
    await deps.enqueue(claimKey);
  }
}
