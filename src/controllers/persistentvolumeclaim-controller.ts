import type { Result } from '../queue/index.js';
import type { StoredObject } from '../store/index.js';
import type { Controller, ControllerContext, ObjectRequest } from './controller.js';
import { canonicalJson } from './rollout/index.js';

/** The fields of a v1 PersistentVolumeClaim this controller reads. */
interface ClaimSpec {
  accessModes?: string[];
  resources?: { requests?: { storage?: string } };
}

/**
 * PersistentVolumeClaim: Bound at once, with the access modes and capacity it asked for. The
 * node makes its Docker volume (`<instance>_<namespace>_pvc_<claim>`) when a pod first mounts it.
 */
export const persistentVolumeClaimController: Controller = {
  kind: 'PersistentVolumeClaim',
  queue: 'reconcile',
  reconcile: reconcilePersistentVolumeClaim,
};

async function reconcilePersistentVolumeClaim(
  deps: ControllerContext,
  { key }: ObjectRequest,
  claim: StoredObject | undefined,
): Promise<Result | undefined> {
  if (!claim) return;
  const spec = (claim.spec ?? {}) as ClaimSpec;
  const storage = spec.resources?.requests?.storage;
  const status = {
    phase: 'Bound',
    ...(spec.accessModes ? { accessModes: spec.accessModes } : {}),
    ...(storage ? { capacity: { storage } } : {}),
  };
  if (canonicalJson(status) !== canonicalJson(claim.status))
    await deps.store.putStatus(key, status);
}
