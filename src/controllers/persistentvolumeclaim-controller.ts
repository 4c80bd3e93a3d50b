import type { PersistentVolumeClaimStatus } from '../manifests/generated/k8s-status.js';
import type { Result } from '../queue/index.js';
import type { Stored } from '../store/index.js';
import type { Controller, ControllerContext, ObjectRequest } from './controller.js';
import { canonicalJson } from './rollout/index.js';

/**
 * PersistentVolumeClaim: Bound at once, with the access modes and capacity it asked for. The
 * node makes its Docker volume (`<instance>_<namespace>_pvc_<claim>`) when a pod first mounts it.
 */
export const persistentVolumeClaimController: Controller<'PersistentVolumeClaim'> = {
  kind: 'PersistentVolumeClaim',
  queue: 'reconcile',
  reconcile: reconcilePersistentVolumeClaim,
};

async function reconcilePersistentVolumeClaim(
  deps: ControllerContext,
  { key }: ObjectRequest,
  claim: Stored<'PersistentVolumeClaim'> | undefined,
): Promise<Result | undefined> {
  if (!claim) return;
  const spec = claim.spec ?? {};
  const storage = spec.resources?.requests?.storage;
  const status: PersistentVolumeClaimStatus = {
    phase: 'Bound',
    ...(spec.accessModes ? { accessModes: spec.accessModes } : {}),
    ...(storage ? { capacity: { storage } } : {}),
  };
  if (canonicalJson(status) !== canonicalJson(claim.status))
    await deps.store.putStatus(key, status);
}
