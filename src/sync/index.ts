// Sync: a validated revision of a source, applied to the object store and followed until its
// rollout is healthy or degraded.

export { RevisionObjects } from './revision-objects.js';
export {
  type SourceSettings,
  type SourceState,
  SourceStateStore,
  type SyncPhase,
} from './source-state.js';
export type { SyncDeps } from './sync-deps.js';
export { syncReconciler } from './sync-reconciler.js';
export { type SyncWindow, type WindowVerdict, windowVerdict } from './sync-windows.js';
