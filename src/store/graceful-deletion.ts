import type { DeleteOptions, StoredObject } from './object-store.js';

/** The default `terminationGracePeriodSeconds` of a pod (the API server's defaulting). */
export const DEFAULT_GRACE_PERIOD_SECONDS = 30;

/**
 * What deleting `existing` does, as the API server's graceful deletion (the pod strategy's
 * CheckGracefulDelete, then rest.BeforeDelete): `undefined` removes the object now; otherwise
 * the object to store in its place, marked terminating — `deletionTimestamp` = now + grace
 * period, `deletionGracePeriodSeconds`, generation + 1. Only Pods are deleted gracefully, and
 * not a finished one (Succeeded or Failed: its containers do not run). A pod already
 * terminating keeps its mark unless a shorter grace period comes (returned unchanged then; a
 * shorter one moves the deadline earlier). The caller
 * stores the result with `now` from its clock.
 */
export function gracefulDeletion(
  existing: StoredObject,
  options: DeleteOptions,
  now: Date,
): StoredObject | undefined {
  if (existing.kind !== 'Pod') return undefined;
  const pod = existing as {
    spec?: { terminationGracePeriodSeconds?: number };
    status?: { phase?: string };
  };
  const spec = pod.spec ?? {};
  const phase = pod.status?.phase;
  let grace =
    options.gracePeriodSeconds ??
    spec.terminationGracePeriodSeconds ??
    DEFAULT_GRACE_PERIOD_SECONDS;
  if (phase === 'Succeeded' || phase === 'Failed') grace = 0;
  if (grace <= 0) return undefined;
  const meta = existing.metadata;
  if (meta.deletionTimestamp) {
    const current = meta.deletionGracePeriodSeconds ?? 0;
    if (grace >= current) return existing;
    // The deadline moves as if the deletion had begun with the shorter period.
    const began = Date.parse(meta.deletionTimestamp) - current * 1000;
    return marked(existing, began + grace * 1000, grace, meta.generation);
  }
  return marked(existing, now.getTime() + grace * 1000, grace, meta.generation + 1);
}

/** Whether an object is being deleted gracefully (metadata.deletionTimestamp is set). */
export function isTerminating(o: { metadata: { deletionTimestamp?: string } }): boolean {
  return o.metadata.deletionTimestamp !== undefined;
}

function marked(o: StoredObject, atMs: number, grace: number, generation: number): StoredObject {
  const { status: _status, ...body } = o;
  return {
    ...body,
    metadata: {
      ...o.metadata,
      generation,
      // metav1.Time: RFC 3339 in whole seconds.
      deletionTimestamp: new Date(Math.ceil(atMs / 1000) * 1000)
        .toISOString()
        .replace('.000Z', 'Z'),
      deletionGracePeriodSeconds: grace,
    },
  } as StoredObject;
}
