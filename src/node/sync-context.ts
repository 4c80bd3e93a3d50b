import type { ImagePuller } from './image-puller.js';
import type { CompiledNodeOptions } from './node-options.js';
import type { PodIPs } from './pod-ips.js';
import type { PodMemory } from './pod-status.js';

/** A failed attempt to start a container, retried with backoff (image pulls, config errors). */
export interface RetryState {
  failures: number;
  nextTryAt: number;
  reason: string;
  message: string;
  /** ErrImagePull: the fingerprint of the credentials the pull tried (others end the backoff). */
  credentials?: string;
  /** The BackOff event of this failure was recorded. */
  reported?: boolean;
}

/** The images of one node: its puller (one pull per image across pods) and the images known present. */
export interface NodeImages {
  puller: ImagePuller;
  /** Image reference → its configured user, taken as present until `until`. */
  present: Map<string, { user: string; until: number }>;
}

/** What one pod's sync reads and keeps between syncs (owned by its worker). */
export interface SyncContext {
  opts: CompiledNodeOptions;
  /** Address of this host, reported as hostIP. */
  hostIP: string;
  memory: PodMemory;
  images: NodeImages;
  /** The node's pod addresses, when Berth assigns them (network.podSandbox `whenNeeded`). */
  podIPs?: PodIPs;
  /** Failed starts per container name. */
  retries: Map<string, RetryState>;
}
