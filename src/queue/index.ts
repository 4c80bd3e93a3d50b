export { type BackoffSettings, backoffDelayMs } from './backoff.js';
export { InvalidKeyError } from './invalid-key-error.js';
export type { KeyJobData } from './key-job-data.js';
export { type KeyPhase, type KeyStatus, KeyStatusStore } from './key-status.js';
export { formatObjectKey, type ObjectKey, parseObjectKey } from './object-key.js';
export { QueueOptionError } from './queue-option-error.js';
export { QueueWorker, type WorkerHost } from './queue-worker.js';
export type { ReconcileContext, Reconciler, Result } from './reconciler.js';
export { formatSyncKey, parseSyncKey, type SyncKey } from './sync-key.js';
export { TerminalError } from './terminal-error.js';
export { type QueueCounts, WorkQueue } from './work-queue.js';
export {
  type CompiledWorkQueueOptions,
  compileWorkQueueOptions,
  WORK_QUEUE_DEFAULTS,
  type WorkQueueOptions,
} from './work-queue-options.js';
