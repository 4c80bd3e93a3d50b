import type { Redis } from 'ioredis';
import type { BerthConfig, SourceConfig } from '../config/index.js';
import {
  CONTROLLERS,
  type ControllerDeps,
  NODE_KINDS,
  objectReconciler,
} from '../controllers/index.js';
import type { AggregateHealth } from '../health/index.js';
import { Notifier } from '../notify/index.js';
import type { PlanObject } from '../plan/index.js';
import { formatSyncKey, WorkQueue } from '../queue/index.js';
import { type BerthEvent, EventStore, InventoryStore, ObjectStore } from '../store/index.js';
import {
  RevisionObjects,
  type SourceState,
  SourceStateStore,
  syncReconciler,
} from '../sync/index.js';
import type { Logger } from '../util/logger.js';

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
      enqueue: (key) =>
        NODE_KINDS.has(key.slice(0, key.indexOf('/')))
          ? nodeQueue.enqueue(key)
          : reconcileQueue.enqueue(key),
      enqueueNode: (key) => nodeQueue.enqueue(key),
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
    const notifier = new Notifier({
      targets: config.notifications,
      logger,
      ...(options.env ? { env: options.env } : {}),
    });
    const workers = new ControllerWorkers(options, syncQueue, reconcileQueue, nodeQueue, notifier);
    if (options.work !== false) workers.startWorkers();
    return workers;
  }

  /**
   * Hands a validated revision to the sync queue: its objects to Redis, the source's target
   * revision, and the `source@revision` job.
   */
  async publish(
    source: SourceConfig,
    revision: { sha: string; subject: string },
    objects: readonly PlanObject[],
  ): Promise<void> {
    const { config, redis } = this.options;
    await new RevisionObjects(redis, config.redis.keyPrefix).save(
      source.name,
      revision.sha,
      objects,
    );
    await this.states.update(source.name, {
      repo: redactRepo(source.repo),
      ref:
        'commit' in source.ref
          ? `commit ${source.ref.commit}`
          : 'tag' in source.ref
            ? `tag ${source.ref.tag}`
            : `branch ${source.ref.branch}`,
      prune: source.prune,
      target: revision.sha,
      targetSubject: revision.subject,
    });
    await this.syncQueue.enqueue(formatSyncKey({ source: source.name, revision: revision.sha }));
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
    await this.notifier.drain();
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
        ...(this.options.onSettled ? { onSettled: this.options.onSettled } : {}),
        now: () => new Date(),
        logger,
        ...(this.options.resyncMs !== undefined ? { resyncMs: this.options.resyncMs } : {}),
      }),
    );
    this.reconcileQueue.startWorker(objectReconciler(this.deps, CONTROLLERS, this.states));
  }
}

/** A repository URL without credentials. */
function redactRepo(repo: string): string {
  try {
    const u = new URL(repo);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return repo;
  }
}
