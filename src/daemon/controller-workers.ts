import type { Redis } from 'ioredis';
import { type BerthConfig, describeRef, type SourceConfig } from '../config/index.js';
import { type ControllerDeps, objectReconciler, queueOf } from '../controllers/index.js';
import type { AggregateHealth } from '../health/index.js';
import type { Fence } from '../lease/index.js';
import { serviceAddressingFromConfig } from '../network/services/index.js';
import type { Notifier } from '../notify/index.js';
import type { PlanObject } from '../plan/index.js';
import { formatSyncKey, WorkQueue } from '../queue/index.js';
import { isRevertMessage } from '../rollback/index.js';
import type { BerthEvent, SourceState, Stores } from '../store/index.js';
import { syncReconciler } from '../sync/index.js';
import type { Logger } from '../util/logger.js';
import { withoutUserinfo } from '../util/without-userinfo.js';

/** Options of {@link ControllerWorkers.start}. */
export interface ControllerWorkersOptions {
  config: BerthConfig;
  redis: Redis;
  /** The stores of this process (createStores). */
  stores: Stores;
  /** The notification targets of this process: every event recorded is sent to them. */
  notifier: Notifier;
  logger: Logger;
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
 * see sync-reconciler) and the `reconcile` queue (one job per object key, the controllers the
 * registry puts on it). Any number of processes may run them against one Redis; `publish` is how the
 * process that validated a revision hands it over.
 */
export class ControllerWorkers {
  readonly deps: ControllerDeps;

  private constructor(
    private readonly options: ControllerWorkersOptions,
    readonly syncQueue: WorkQueue,
    readonly reconcileQueue: WorkQueue,
    readonly nodeQueue: WorkQueue,
    /** Degraded revisions to roll back: consumed by the process that has the sources (git). */
    readonly rollbackQueue: WorkQueue,
  ) {
    const { config, redis, logger, stores } = options;
    const queues = { reconcile: reconcileQueue, node: nodeQueue };
    this.deps = {
      store: stores.objects,
      events: stores.events,
      enqueue: (key) => {
        const queue = queueOf(key.slice(0, key.indexOf('/')));
        // A kind without a controller (ConfigMap, Secret) has nothing to do: no job.
        return queue ? queues[queue].enqueue(key) : Promise.resolve();
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
    const workers = new ControllerWorkers(
      options,
      syncQueue,
      reconcileQueue,
      nodeQueue,
      rollbackQueue,
    );
    if (options.work !== false) workers.startWorkers();
    return workers;
  }

  /**
   * Hands a validated revision to the sync queue: its objects to Redis, the source's target
   * revision, and the `source@revision` job. With the leader's `fence`, the target is written
   * only while this process leads (LeaseLost otherwise).
   */
  async publish(
    source: SourceConfig,
    revision: { sha: string; subject: string; message: string },
    objects: readonly PlanObject[],
    fence?: Fence,
  ): Promise<void> {
    const { logger, stores } = this.options;
    await stores.revisions.save(source.name, revision.sha, objects);
    const before = await stores.sources.get(source.name);
    if (before?.pinned && before.pinnedFrom === revision.sha) {
      // The degraded revision a pin replaced (seen again after a restart): the pin holds until a newer commit.
      logger.warn(
        { source: source.name, revision: revision.sha, pinned: before.pinned },
        `source ${source.name} stays pinned to ${before.pinned.slice(0, 7)}: ${revision.sha.slice(0, 7)} is the revision it replaced`,
      );
      return;
    }
    const newCommit = before?.target !== revision.sha;
    await stores.sources.update(
      source.name,
      {
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
      },
      fence,
    );
    await this.syncQueue.enqueue(formatSyncKey({ source: source.name, revision: revision.sha }));
  }

  /**
   * Pins a source to an earlier revision whose objects are still in Redis (a rollback could not
   * be committed): it becomes the target until a newer commit arrives. Returns false when
   * that revision's objects are gone.
   */
  async pin(
    source: string,
    good: string,
    bad: string,
    flag: string,
    fence?: Fence,
  ): Promise<boolean> {
    const { stores } = this.options;
    if (!(await stores.revisions.load(source, good))) return false;
    await stores.sources.update(
      source,
      { target: good, pinned: good, pinnedFrom: bad, flag },
      fence,
    );
    await this.syncQueue.enqueue(formatSyncKey({ source, revision: good }));
    return true;
  }

  /** Records an event and sends it to the notification targets. */
  async record(event: BerthEvent): Promise<void> {
    this.options.notifier.notify(await this.options.stores.events.record(event));
  }

  /**
   * Stops the workers (reconciles in progress finish first) and closes the queues (the
   * notifier is its owner's to drain).
   */
  async close(): Promise<void> {
    await this.syncQueue.close();
    await this.reconcileQueue.close();
    await this.nodeQueue.close();
    await this.rollbackQueue.close();
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
    if (health.status !== 'Healthy' && health.status !== 'Degraded') return;
    const first = health.atFault[0];
    await this.options.stores.history.setHealth(state.name, revision, {
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
    const { logger, stores } = this.options;
    this.syncQueue.startWorker(
      syncReconciler({
        store: stores.objects,
        inventory: stores.inventory,
        states: stores.sources,
        revisions: stores.revisions,
        record: (e) => this.record(e),
        enqueue: this.deps.enqueue,
        onSettled: (state, revision, health) => this.settled(state, revision, health),
        now: () => new Date(),
        logger,
        ...(this.options.resyncMs !== undefined ? { resyncMs: this.options.resyncMs } : {}),
      }),
    );
    this.reconcileQueue.startWorker(
      objectReconciler({
        deps: this.deps,
        queue: 'reconcile',
        suspended: (source) => stores.sources.suspended(source),
      }),
    );
  }
}
