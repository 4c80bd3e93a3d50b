// Sync: a validated revision of a source, applied to the object store and followed until its
// rollout is healthy or degraded.

export { RevisionObjects } from './revision-objects.js';
export {
  type SourceSettings,
  type SourceState,
  SourceStateStore,
  type SyncPhase,
} from './source-state.js';
export { type SyncDeps, syncReconciler } from './sync-reconciler.js';
