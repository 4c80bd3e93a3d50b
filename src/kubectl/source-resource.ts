import { describeRef } from '../config/describe-ref.js';
import type { SourceConfig } from '../config/index.js';
import type { HealthStatus } from '../health/index.js';
import type { SourceState, SyncPhase } from '../store/index.js';

/** One source as `berth status` shows it: its state, or what the configuration says of it. */
export interface SourceView {
  name: string;
  repo: string;
  ref: string;
  prune: boolean;
  suspended: boolean;
  revision?: string;
  target?: string;
  targetSubject?: string;
  sync: SyncPhase;
  syncMessage?: string;
  health: HealthStatus;
  healthReason?: string;
  healthMessage?: string;
  lastSyncTime?: string;
  appliedAt?: string;
  ready?: number;
  total?: number;
  /** Set while an automated rollback pinned the source to this revision. */
  pinned?: string;
  /** Why the source needs a person (a rollback refused, the rollback limit reached). */
  flag?: string;
  lastHealthy?: string;
  rollbacks?: number;
}

/**
 * A source's view from its stored state, or from its configuration when Berth never saw it:
 * OutOfSync while the target is not applied, Suspended health while suspended.
 */
export function sourceView(
  name: string,
  s: SourceState | undefined,
  configured: SourceConfig | undefined,
): SourceView {
  if (!s) {
    return {
      name,
      repo: configured?.repo ?? '',
      ref: configured ? describeRef(configured.ref) : '',
      prune: configured?.prune ?? true,
      suspended: false,
      sync: 'OutOfSync',
      syncMessage: 'not seen yet: is `berth up` running?',
      health: 'Missing',
    };
  }
  // OutOfSync whenever the target is not what is applied, whatever verdict was recorded last.
  const sync: SyncPhase = s.sync === 'Synced' && s.target !== s.applied ? 'OutOfSync' : s.sync;
  const opt = <K extends keyof SourceState>(k: K) => (s[k] !== undefined ? { [k]: s[k] } : {});
  return {
    name,
    repo: s.repo,
    ref: s.ref,
    prune: s.prune,
    suspended: s.suspended,
    ...(s.applied ? { revision: s.applied } : {}),
    ...opt('target'),
    ...opt('targetSubject'),
    sync,
    ...opt('syncMessage'),
    health: s.suspended ? 'Suspended' : s.health,
    ...(s.suspended
      ? { healthReason: 'Suspended', healthMessage: 'syncing is suspended (berth resume)' }
      : { ...opt('healthReason'), ...opt('healthMessage') }),
    ...opt('lastSyncTime'),
    ...opt('appliedAt'),
    ...opt('ready'),
    ...opt('total'),
    ...opt('pinned'),
    ...opt('flag'),
    ...opt('lastHealthy'),
    ...opt('rollbacks'),
  } as SourceView;
}

/** A source as a kubectl-style resource of kind `Source` (`berth status -o json`, the API). */
export function asResource(v: SourceView): Record<string, unknown> {
  return {
    apiVersion: 'berth.dev/v1alpha1',
    kind: 'Source',
    metadata: { name: v.name },
    spec: { repo: v.repo, ref: v.ref, prune: v.prune, suspend: v.suspended },
    status: {
      revision: v.revision ?? null,
      ...(v.target ? { targetRevision: v.target } : {}),
      ...(v.targetSubject ? { targetSubject: v.targetSubject } : {}),
      sync: { status: v.sync, ...(v.syncMessage ? { message: v.syncMessage } : {}) },
      health: {
        status: v.health,
        ...(v.healthReason ? { reason: v.healthReason } : {}),
        ...(v.healthMessage ? { message: v.healthMessage } : {}),
      },
      lastSyncTime: v.lastSyncTime ?? null,
      ...(v.appliedAt ? { appliedAt: v.appliedAt } : {}),
      ...(v.total !== undefined ? { ready: v.ready ?? 0, total: v.total } : {}),
      ...(v.lastHealthy ? { lastHealthyRevision: v.lastHealthy } : {}),
      ...(v.rollbacks !== undefined ? { rollbacks: v.rollbacks } : {}),
      ...(v.pinned ? { pinnedRevision: v.pinned } : {}),
      ...(v.flag ? { flag: v.flag } : {}),
    },
  };
}
