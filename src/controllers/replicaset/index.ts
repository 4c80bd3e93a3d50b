// The pure parts of the ReplicaSet controller: the deletion ranking, the status, slow start.
export {
  compareActivePods,
  deletionCost,
  POD_DELETION_COST,
  podsToDelete,
  type RankedPod,
} from './active-pods.js';
export {
  type ReplicaSetCondition,
  type ReplicaSetStatus,
  type ReplicaSetStatusInput,
  replicaSetStatus,
  type StatusPod,
} from './replicaset-status.js';
export { type BatchCall, slowStartBatch } from './slow-start.js';
