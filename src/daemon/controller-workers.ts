import type { Redis } from 'ioredis';
import { type BerthConfig, describeRef, type SourceConfig } from '../config/index.js';
import {
  CONTROLLERS,
  type ControllerDeps,
  NODE_KINDS,
  objectReconciler,
} from '../controllers/index.js';
import type { AggregateHealth } from '../health/index.js';
import { serviceAddressingFromConfig } from '../network/services/index.js';
import { Notifier } from '../notify/index.js';
import type { PlanObject } from '../plan/index.js';
import { formatSyncKey, WorkQueue } from '../queue/index.js';
import { isRevertMessage } from '../rollback/index.js';
import {
  type BerthEvent,
  EventStore,
  HistoryStore,
  InventoryStore,
  ObjectStore,
} from '../store/index.js';
import {
  RevisionObjects,
  type SourceState,
  SourceStateStore,
  syncReconciler,
} from '../sync/index.js';
import type { Logger } from '../util/logger.js';
import { withoutUserinfo } from '../util/without-userinfo.js';

/** Options of {@link ControllerWorkers.start}. */
export interface ControllerWorkersOptions {
  config: BerthConfig;
  redis: Redis;
  logger: Logger;
  /** Environment secrets (notification HMAC keys) are read from. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Start workers on the sync and reconcile queues. Default true; false only publishes. */
  work?: boolean;
  /** Called once per applied revision when its rollout settles Healthy or Degraded. */
  onSettled?(state: SourceState, revision: string, health: AggregateHealth): Promise<void>;
  /** Reconciles at once per process on the reconcile queue. Default 8. */
  concurrency?: number;
  /** How often a settled source is synced again (every object re-enqueued). Default 30 s. */
  resyncMs?: number;
}

/**
 * The controller side of Berth in one process: the `sync` queue (one job per source@revision,
 * see sync-reconciler) and the `reconcile` queue (one job per object key, the controllers of
 * CONTROLLERS). Any number of processes may run them against one Redis; `publish` is how the
 * process that validated a revision hands it over.
 */
export class ControllerWorkers {
  readonly store: ObjectStore;
  readonly states: SourceStateStore;
  readonly events: EventStore;
  readonly deps: ControllerDeps;

  private constructor(
    private readonly options: ControllerWorkersOptions,
    readonly syncQueue: WorkQueue,
    readonly reconcileQueue: WorkQueue,
    readonly nodeQueue: WorkQueue,
    /** Degraded revisions to roll back: consumed by the process that has the sources (git). */
    readonly rollbackQueue: WorkQueue,
    private readonly notifier: Notifier,
  ) {
    const { config, redis, logger } = options;
    const prefix = config.redis.keyPrefix;
    this.store = new ObjectStore(redis, prefix);
    this.states = new SourceStateStore(redis, prefix);
    this.events = new EventStore(redis, { prefix });
    this.deps = {
      store: this.store,
      events: this.events,
      enqueue: (key) => {
        const kind = key.slice(0, key.indexOf('/'));
        if (NODE_KINDS.has(kind)) return nodeQueue.enqueue(key);
        // A kind without a controller (ConfigMap, Secret) has nothing to do: no job.
        return kind in CONTROLLERS ? reconcileQueue.enqueue(key) : Promise.resolve();
      },
      enqueueNode: (key) => nodeQueue.enqueue(key),
      services: serviceAddressingFromConfig(config, redis),
      now: () => new Date(),
      logger,
    };
  }

  static async start(options: ControllerWorkersOptions): Promise<ControllerWorkers> {
    const { config, logger } = options;
    const base = { redisUrl: config.redis.url, keyPrefix: config.redis.keyPrefix, logger };
    const syncQueue = await WorkQueue.open({ ...base, name: 'sync', concurrency: 2 });
    const reconcileQueue = await WorkQueue.open({
      ...base,
      name: 'reconcile',
      concurrency: options.concurrency ?? 8,
    });
    const nodeQueue = await WorkQueue.open({ ...base, name: 'node', concurrency: 16 });
    const rollbackQueue = await WorkQueue.open({ ...base, name: 'rollback', concurrency: 1 });
    const notifier = new Notifier({
      targets: config.notifications,
      logger,
      ...(options.env ? { env: options.env } : {}),
    });
    const workers = new ControllerWorkers(
      options,
      syncQueue,
      reconcileQueue,
      nodeQueue,
      rollbackQueue,
      notifier,
    );
    if (options.work !== false) workers.startWorkers();
    return workers;
  }

  /**
   * Hands a validated revision to the sync queue: its objects to Redis, the source's target
   * revision, and the `source@revision` job.
   */
  async publish(
    source: SourceConfig,
    revision: { sha: string; subject: string; message: string },
    objects: readonly PlanObject[],
  ): Promise<void> {
    const { config, redis, logger } = this.options;
    await new RevisionObjects(redis, config.redis.keyPrefix).save(
      source.name,
      revision.sha,
      objects,
    );
    const before = await this.states.get(source.name);
    if (before?.pinned && before.pinnedFrom === revision.sha) {
      // The degraded revision a pin replaced (seen again after a restart): the pin holds until a newer commit.
      logger.warn(
        { source: source.name, revision: revision.sha, pinned: before.pinned },
        `source ${source.name} stays pinned to ${before.pinned.slice(0, 7)}: ${revision.sha.slice(0, 7)} is the revision it replaced`,
      );
      return;
    }
    const newCommit = before?.target !== revision.sha;
    await this.states.update(source.name, {
      repo: withoutUserinfo(source.repo),
      ref: describeRef(source.ref),
      prune: source.prune,
      selfHeal: source.selfHeal,
      dependsOn: source.dependsOn,
      syncWindows: source.syncWindows,
      rollbackRespectsWindows: source.rollback.respectSyncWindows,
      target: revision.sha,
      targetSubject: revision.subject,
      targetIsRevert: isRevertMessage(revision.message),
      // A new commit ends a pin and clears the flag: it is what the user did about it.
      ...(newCommit ? { pinned: '', pinnedFrom: '', flag: '' } : {}),
    });
    await this.syncQueue.enqueue(formatSyncKey({ source: source.name, revision: revision.sha }));
  }

  /**
   * Pins a source to an earlier revision whose objects are still in Redis (a rollback could not
   * be committed): it becomes the target until a newer commit arrives. Returns false when
   * that revision's objects are gone.
   */
  async pin(source: string, good: string, bad: string, flag: string): Promise<boolean> {
    const { config, redis } = this.options;
    if (!(await new RevisionObjects(redis, config.redis.keyPrefix).load(source, good)))
      return false;
    await this.states.update(source, { target: good, pinned: good, pinnedFrom: bad, flag });
    await this.syncQueue.enqueue(formatSyncKey({ source, revision: good }));
    return true;
  }

  /** Records an event and sends it to the notification targets. */
  async record(event: BerthEvent): Promise<void> {
    this.notifier.notify(await this.events.record(event));
  }

  /** Stops the workers (reconciles in progress finish first) and closes the queues. */
  async close(): Promise<void> {
    await this.syncQueue.close();
    await this.reconcileQueue.close();
    await this.nodeQueue.close();
    await this.rollbackQueue.close();
    await this.notifier.drain();
  }

  /**
   * A rollout settled: its health goes into the history; Degraded asks the process with the
   * sources for a rollback (Healthy was recorded as the source's lastHealthy by the sync job).
   */
  private async settled(
    state: SourceState,
    revision: string,
    health: AggregateHealth,
  ): Promise<void> {
    const { config, redis } = this.options;
    if (health.status !== 'Healthy' && health.status !== 'Degraded') return;
    const first = health.atFault[0];
    await new HistoryStore(redis, config.redis.keyPrefix).setHealth(state.name, revision, {
      status: health.status,
      ...(first?.health.reason ? { reason: first.health.reason } : {}),
      ...(health.message ? { message: health.message } : {}),
      at: new Date().toISOString(),
    });
    if (health.status === 'Degraded' && state.lastHealthy !== revision) {
      await this.rollbackQueue.enqueue(formatSyncKey({ source: state.name, revision }));
    }
    await this.options.onSettled?.(state, revision, health);
  }

  private startWorkers(): void {
    const { config, redis, logger } = this.options;
    const prefix = config.redis.keyPrefix;
    this.syncQueue.startWorker(
      syncReconciler({
        store: this.store,
        inventory: new InventoryStore(redis, prefix),
        states: this.states,
        revisions: new RevisionObjects(redis, prefix),
        record: (e) => this.record(e),
        enqueue: this.deps.enqueue,
        onSettled: (state, revision, health) => this.settled(state, revision, health),
        now: () => new Date(),
        logger,
        ...(this.options.resyncMs !== undefined ? { resyncMs: this.options.resyncMs } : {}),
      }),
    );
    this.reconcileQueue.startWorker(objectReconciler(this.deps, CONTROLLERS, this.states));
  }
}
