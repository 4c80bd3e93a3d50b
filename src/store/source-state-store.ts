import type { Redis } from 'ioredis';
import type { SyncWindow } from '../config/index.js';
import type { HealthStatus } from '../health/index.js';
import { type Fence, type FencedCommand, fencedExec } from '../lease/index.js';

/** Sync status of a source, Argo CD's words. */
export type SyncPhase = 'Synced' | 'OutOfSync' | 'Syncing' | 'Failed';

/** What a source's sync needs to know of its configuration (workers may not have the berth.yaml that made it). */
export interface SourceSettings {
  /** The repository, as configured (URL credentials never included). */
  repo: string;
  /** `branch main`, `tag v1`, `commit 3f2a…`. */
  ref: string;
  /** Delete objects that left Git. */
  prune: boolean;
  /** Look at every object again every resync period (put back what changed out of band). */
  selfHeal: boolean;
  /** Sources that must be Healthy at their current revision before this one applies a revision. */
  dependsOn?: string[];
  /** When revisions may be applied (Argo CD's sync windows). */
  syncWindows?: SyncWindow[];
  /** Whether a rollback (a revert commit) waits for the sync windows too. Default false. */
  rollbackRespectsWindows?: boolean;
}

/**
 * Everything Berth knows of one source, in Redis: what it should run (`target`, set by the
 * process that validated it), what it applied, whether it is suspended, and the sync and health
 * verdicts of the applied revision. `berth status` prints it.
 */
export interface SourceState extends SourceSettings {
  name: string;
  /** The newest valid revision: what the source should run. */
  target?: string;
  /** The subject of the target commit. */
  targetSubject?: string;
  /** The revision whose objects are in the store. */
  applied?: string;
  /** When the applied revision was written to the store (ISO 8601). */
  appliedAt?: string;
  suspended: boolean;
  sync: SyncPhase;
  /** Why the sync is Failed, or what it waits for. */
  syncMessage?: string;
  health: HealthStatus;
  healthReason?: string;
  healthMessage?: string;
  /** Last time a sync of this source ran to completion (ISO 8601). */
  lastSyncTime?: string;
  /** Objects of the applied revision that are Healthy, and their number. */
  ready?: number;
  total?: number;
  /** The target commit reverts earlier commits (a rollback): never reverted automatically. */
  targetIsRevert?: boolean;
  /** The last revision whose rollout settled Healthy: what a rollback returns to. */
  lastHealthy?: string;
  /** Automated rollbacks in a row (reset when a revision that is no revert turns Healthy). */
  rollbacks?: number;
  /** Set while the source is pinned to this revision (a rollback could not be committed). */
  pinned?: string;
  /** The degraded revision the pin replaced: it is not applied again until a newer commit arrives. */
  pinnedFrom?: string;
  /** Why the source needs a person: a rollback refused, the rollback limit reached. */
  flag?: string;
  /** A revision whose sync failed (a hook or a wave): not tried again; a new commit or a rollback moves on. */
  failed?: string;
  /** An ordered sync in progress: `<revision>:<step index>` (waves, hooks). */
  step?: string;
  /** Outcomes of the hooks of the current step, by key (JSON): a hook deleted by its policy is not run again. */
  stepHooks?: string;
  /** The revision a person asked to sync (the API's sync action): sync windows with `manualSync` let it pass. */
  manualSync?: string;
}

const FIELDS = [
  'repo',
  'ref',
  'prune',
  'selfHeal',
  'target',
  'targetSubject',
  'applied',
  'appliedAt',
  'suspended',
  'sync',
  'syncMessage',
  'health',
  'healthReason',
  'healthMessage',
  'lastSyncTime',
  'ready',
  'total',
  'targetIsRevert',
  'lastHealthy',
  'rollbacks',
  'pinned',
  'pinnedFrom',
  'flag',
  'failed',
  'step',
  'stepHooks',
  'manualSync',
  'dependsOn',
  'syncWindows',
  'rollbackRespectsWindows',
] as const;

/** Fields kept as JSON in the hash. */
const JSON_FIELDS: ReadonlySet<string> = new Set(['dependsOn', 'syncWindows']);

/** The sources' states in Redis: one hash per source plus a set of the names. */
export class SourceStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** The state of one source, or undefined when Berth never saw it. */
  async get(name: string): Promise<SourceState | undefined> {
    const h = await this.redis.hgetall(this.key(name));
    if (Object.keys(h).length === 0) return undefined;
    const opt = (k: string) => (h[k] !== undefined && h[k] !== '' ? { [k]: h[k] } : {});
    return {
      name,
      repo: h.repo ?? '',
      ref: h.ref ?? '',
      prune: h.prune !== 'false',
      selfHeal: h.selfHeal !== 'false',
      suspended: h.suspended === 'true',
      sync: (h.sync as SyncPhase | undefined) ?? 'OutOfSync',
      health: (h.health as HealthStatus | undefined) ?? 'Missing',
      ...opt('target'),
      ...opt('targetSubject'),
      ...opt('applied'),
      ...opt('appliedAt'),
      ...opt('syncMessage'),
      ...opt('healthReason'),
      ...opt('healthMessage'),
      ...opt('lastSyncTime'),
      ...(h.ready !== undefined ? { ready: Number(h.ready) } : {}),
      ...(h.total !== undefined ? { total: Number(h.total) } : {}),
      ...(h.targetIsRevert === 'true' ? { targetIsRevert: true } : {}),
      ...opt('lastHealthy'),
      ...(h.rollbacks !== undefined ? { rollbacks: Number(h.rollbacks) } : {}),
      ...opt('pinned'),
      ...opt('pinnedFrom'),
      ...opt('flag'),
      ...opt('failed'),
      ...opt('step'),
      ...opt('stepHooks'),
      ...opt('manualSync'),
      ...(h.dependsOn ? { dependsOn: JSON.parse(h.dependsOn) as string[] } : {}),
      ...(h.syncWindows ? { syncWindows: JSON.parse(h.syncWindows) as SyncWindow[] } : {}),
      ...(h.rollbackRespectsWindows === 'true' ? { rollbackRespectsWindows: true } : {}),
    } as SourceState;
  }

  /** Whether a source is suspended (one field read: controllers ask on every reconcile). */
  async suspended(name: string): Promise<boolean> {
    return (await this.redis.hget(this.key(name), 'suspended')) === 'true';
  }

  /** Every source Berth has seen, by name. */
  async list(): Promise<SourceState[]> {
    const names = (await this.redis.smembers(this.namesKey())).sort();
    const states = await Promise.all(names.map((n) => this.get(n)));
    return states.filter((s): s is SourceState => s !== undefined);
  }

  /**
   * Sets fields of a source's state (an empty string or undefined removes an optional one).
   * Creates the state when it is new. With a `fence`, the write is made only while its lease
   * holds (LeaseLost otherwise, nothing written).
   */
  async update(
    name: string,
    fields: Partial<Omit<SourceState, 'name'>>,
    fence?: Fence,
  ): Promise<void> {
    const set: string[] = [];
    const del: string[] = [];
    for (const f of FIELDS) {
      if (!(f in fields)) continue;
      const v = fields[f];
      if (v === undefined || v === '') del.push(f);
      else set.push(f, JSON_FIELDS.has(f) ? JSON.stringify(v) : String(v));
    }
    if (fence) {
      const commands: FencedCommand[] = [['SADD', this.namesKey(), name]];
      if (set.length > 0) commands.push(['HSET', this.key(name), ...set]);
      if (del.length > 0) commands.push(['HDEL', this.key(name), ...del]);
      await fencedExec(this.redis, fence, commands);
      return;
    }
    const tx = this.redis.multi().sadd(this.namesKey(), name);
    if (set.length > 0) tx.hset(this.key(name), ...set);
    if (del.length > 0) tx.hdel(this.key(name), ...del);
    await tx.exec();
  }

  /** Forgets a source (after `berth down`). */
  async remove(name: string): Promise<void> {
    await this.redis.multi().del(this.key(name)).srem(this.namesKey(), name).exec();
  }

  private key(name: string): string {
    return `${this.prefix}:source:${name}`;
  }
  private namesKey(): string {
    return `${this.prefix}:sources`;
  }
}
