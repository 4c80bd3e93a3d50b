import type { Health } from './health-status.js';

/** The fields of a v1 PersistentVolumeClaim this rule reads. */
export interface PersistentVolumeClaimLike {
  status?: { phase?: 'Pending' | 'Bound' | 'Lost' };
}

/** A claim is Healthy when Bound (its Docker volume exists), Progressing when Pending, Degraded when Lost. */
export function pvcHealth(pvc: PersistentVolumeClaimLike): Health {
  switch (pvc.status?.phase) {
    case 'Bound':
      return { status: 'Healthy', reason: 'Bound' };
    case 'Lost':
      return {
        status: 'Degraded',
        reason: 'ClaimLost',
        message: 'The volume behind the claim is gone',
      };
    default:
      return {
        status: 'Progressing',
        reason: 'Pending',
        message: 'Waiting for the volume to be created',
      };
  }
}
