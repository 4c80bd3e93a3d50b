import type { CompiledNodeOptions } from './node-options.js';
import type { PodMemory } from './pod-status.js';

/** A failed attempt to start a container, retried with backoff (image pulls, config errors). */
export interface RetryState {
  failures: number;
  nextTryAt: number;
  reason: string;
  message: string;
}

/** What one pod's sync reads and keeps between syncs (owned by its worker). */
export interface SyncContext {
  opts: CompiledNodeOptions;
  /** Address of this host, reported as hostIP. */
  hostIP: string;
  memory: PodMemory;
  /** Failed starts per container name. */
  retries: Map<string, RetryState>;
}
