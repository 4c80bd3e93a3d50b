import { randomInt } from 'node:crypto';
import type { PodSpec, PodTemplateSpec } from '../manifests/generated/k8s-objects.js';
import type { PodStatus } from '../manifests/generated/k8s-status.js';
import {
  asKind,
  type OwnerReference,
  REVISION_ANNOTATION,
  SOURCE_ANNOTATION,
  type Stored,
  type StoredObject,
  storeKey,
} from '../store/index.js';
import type { ControllerDeps } from './controller.js';

/** The ownerReference of a child whose controller is `owner`. */
export function controllerRef(owner: StoredObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
  };
}

/** The annotations a child inherits from its owner: the source and revision it belongs to. */
export function inheritedAnnotations(owner: StoredObject): Record<string, string> {
  const a = owner.metadata.annotations ?? {};
  const out: Record<string, string> = {};
  if (a[SOURCE_ANNOTATION]) out[SOURCE_ANNOTATION] = a[SOURCE_ANNOTATION];
  if (a[REVISION_ANNOTATION]) out[REVISION_ANNOTATION] = a[REVISION_ANNOTATION];
  return out;
}

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** `<prefix>-<5 random characters>`, as Kubernetes' generateName does. */
export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return `${prefix.slice(0, 58)}-${suffix}`;
}

/** What {@link createPodFromTemplate} makes a pod of, besides its owner. */
export interface TemplatePodOptions {
  name: string;
  namespace: string;
  template: PodTemplateSpec;
  /** Labels besides the template's (revision hash, index...). */
  labels?: Record<string, string>;
  /** Annotations besides the template's and the inherited ones. */
  annotations?: Record<string, string>;
  /** The spec when the controller changed the template's (claims, an index in the env). */
  spec?: PodSpec;
}

/**
 * Stores a pod made from `owner`'s pod template, as Kubernetes' GetPodFromTemplate does: the
 * template's labels and annotations (with the source and revision the owner carries), the
 * owner as its controller, the template's spec; enqueues it for the node. Returns it.
 */
export async function createPodFromTemplate(
  deps: ControllerDeps,
  owner: StoredObject,
  pod: TemplatePodOptions,
): Promise<Stored<'Pod'>> {
  const { template } = pod;
  const { object } = await deps.store.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: pod.namespace,
      labels: { ...(template.metadata?.labels ?? {}), ...pod.labels },
      annotations: {
        ...(template.metadata?.annotations ?? {}),
        ...inheritedAnnotations(owner),
        ...pod.annotations,
      },
      ownerReferences: [controllerRef(owner)],
    },
    spec: pod.spec ?? template.spec,
  });
  await deps.enqueue(storeKey(object));
  return asKind('Pod', object);
}

/**
 * Garbage collection of a deleted owner: removes every child from the store and enqueues it, so
 * that its own controller removes what it runs (a Pod's containers, a ReplicaSet's pods).
 */
export async function deleteChildren(deps: ControllerDeps, ownerKey: string): Promise<number> {
  const children = await deps.store.children(ownerKey);
  for (const child of children) {
    const key = storeKey(child);
    await deps.store.delete(key);
    await deps.enqueue(key);
  }
  return children.length;
}

/** Whether a pod's Ready condition is True. */
export function podReady(pod: { status?: PodStatus }): boolean {
  return readySince(pod) !== undefined;
}

/** When a ready pod became ready (ms since the epoch), or undefined when it is not ready. */
export function readySince(pod: { status?: PodStatus }): number | undefined {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') return undefined;
  return ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
}
