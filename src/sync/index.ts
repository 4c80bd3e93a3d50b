// Sync: a validated revision of a source, applied to the object store and followed until its
// rollout is healthy or degraded.

export { type SyncDeps, syncReconciler } from './sync-reconciler.js';
