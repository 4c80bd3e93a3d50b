// Sync: a validated revision of a source, applied to the object store and followed until its
// rollout is healthy or degraded.

export {
  CONFIG_HASH_ANNOTATION,
  type ConfigLookup,
  configHash,
  configReferences,
  withConfigHash,
} from './config-references.js';
export type { SyncDeps } from './sync-deps.js';
export { syncReconciler } from './sync-reconciler.js';
export {
  type SyncWindow,
  type WindowQuery,
  type WindowVerdict,
  windowActive,
  windowVerdict,
} from './sync-windows.js';
