import type { Controller } from './controller.js';
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
export const reconcilePersistentVolumeClaim: Controller = async (deps, _ctx, { key }) => {
  const claim = await deps.store.get(key);
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
};
