import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import type { BerthConfig } from '../config/index.js';
import type { ValidateOptions } from '../manifests/index.js';
import type { NodeOptions } from '../node/index.js';
import { Notifier } from '../notify/index.js';
import { createStores, type Stores } from '../store/index.js';
import type { Logger } from '../util/logger.js';
import { autoRollbackReconciler } from './auto-rollback.js';
import { BerthDaemon } from './berth-daemon.js';
import { ControllerWorkers } from './controller-workers.js';
import { NodeRole } from './node-role.js';

/** Options of {@link startBerth}. */
export interface BerthProcessOptions {
  config: BerthConfig;
  redis: Redis;
  docker: Docker;
  logger: Logger;
  policy: ValidateOptions;
  env?: NodeJS.ProcessEnv;
  /**
   * `all` (default): sources, API, controllers and the node in this process. `worker`: only the
   * controller workers (sync and reconcile queues), sharing the work of another `berth up`.
   */
  role?: 'all' | 'worker';
  /** Overrides of the node options (tests). */
  node?: Partial<NodeOptions>;
  /** How often a settled source is synced again. Default 30 s. */
  resyncMs?: number;
}

/** A running Berth: stop() lets reconciles in progress finish; containers keep running. */
export interface BerthProcess {
  /** The stores of this process. */
  stores: Stores;
  workers: ControllerWorkers;
  node?: NodeRole;
  daemon?: BerthDaemon;
  stop(): Promise<void>;
}

/** Starts Berth's roles in this process: see {@link BerthProcessOptions.role}. */
export async function startBerth(options: BerthProcessOptions): Promise<BerthProcess> {
  const { config, redis, docker, logger } = options;
  // The one place the stores and the notifier of this process are made.
  const stores = createStores(redis, config.redis.keyPrefix);
  const notifier = new Notifier({
    targets: config.notifications,
    logger,
    ...(options.env ? { env: options.env } : {}),
  });
  const workers = await ControllerWorkers.start({
    config,
    redis,
    stores,
    notifier,
    logger,
    ...(options.resyncMs !== undefined ? { resyncMs: options.resyncMs } : {}),
  });
  if (options.role === 'worker') {
    return {
      stores,
      workers,
      stop: async () => {
        await workers.close();
        await notifier.drain();
      },
    };
  }
  // A role that fails to start stops those already started: a failed start leaves nothing running.
  let node: NodeRole | undefined;
  let daemon: BerthDaemon | undefined;
  try {
    node = await NodeRole.start({
      config,
      redis,
      docker,
      logger,
      deps: workers.deps,
      queue: workers.nodeQueue,
      states: stores.sources,
      ...(options.node ? { node: options.node } : {}),
    });
    daemon = new BerthDaemon({
      config,
      redis,
      stores,
      notifier,
      logger,
      policy: options.policy,
      ...(options.env ? { env: options.env } : {}),
      publish: (source, revision, objects) => workers.publish(source, revision, objects),
    });
    // The rollback queue needs git, so the process with the sources consumes it.
    workers.rollbackQueue.startWorker(
      autoRollbackReconciler({
        sources: config.sources,
        stateDir: config.stateDir,
        states: stores.sources,
        watchers: () => daemon?.sourceSet(),
        pin: (source, good, bad, flag) => workers.pin(source, good, bad, flag),
        record: (event) => workers.record(event),
        logger,
        ...(options.env ? { env: options.env } : {}),
      }),
    );
    await daemon.start();
  } catch (err) {
    await daemon?.stop().catch(() => undefined);
    await workers.close().catch(() => undefined);
    await node?.stop().catch(() => undefined);
    await notifier.drain().catch(() => undefined);
    throw err;
  }
  const started = { node: node as NodeRole, daemon: daemon as BerthDaemon };
  return {
    stores,
    workers,
    node: started.node,
    daemon: started.daemon,
    stop: async () => {
      await started.daemon.stop();
      await workers.close();
      await started.node.stop();
      await notifier.drain();
    },
  };
}
