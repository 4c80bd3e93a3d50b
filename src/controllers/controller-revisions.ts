import type { PodTemplateSpec } from '../manifests/generated/k8s-objects.js';
import { type Stored, type StoredObject, storeKey } from '../store/index.js';
import type { ControllerDeps } from './controller.js';
import { controllerRef, inheritedAnnotations } from './owned.js';

/** Stores the ControllerRevision of a template, numbered after the newest, unless it is the newest. */
export async function saveRevision(
  deps: ControllerDeps,
  sts: Stored<'StatefulSet'>,
  name: string,
  template: PodTemplateSpec,
  revisions: readonly StoredObject[],
): Promise<void> {
  const newest = revisions.reduce((n, r) => Math.max(n, Number(r.revision ?? 0)), 0);
  const existing = revisions.find((r) => r.metadata.name === name);
  if (existing && Number(existing.revision ?? 0) === newest) return;
  await deps.store.apply({
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: sts.metadata.namespace ?? 'default',
      labels: {
        ...(sts.spec.selector.matchLabels ?? {}),
        'controller.kubernetes.io/hash': name.slice(sts.metadata.name.length + 1),
      },
      annotations: inheritedAnnotations(sts),
      ownerReferences: [controllerRef(sts)],
    },
    data: { spec: { template } },
    revision: newest + 1,
  });
}

/** Deletes the oldest revisions no pod runs beyond the history limit. */
export async function pruneRevisions(
  deps: ControllerDeps,
  limit: number,
  revisions: readonly StoredObject[],
  inUse: readonly string[],
): Promise<void> {
  const live = new Set(inUse);
  const idle = revisions
    .filter((r) => !live.has(r.metadata.name))
    .sort((a, b) => Number(a.revision ?? 0) - Number(b.revision ?? 0));
  for (const r of idle.slice(0, Math.max(0, idle.length - limit))) {
    await deps.store.delete(storeKey(r));
  }
}
