import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import type { BerthConfig } from '../config/index.js';
import {
  describeHolder,
  type Fence,
  LeaseCampaign,
  leaseKeys,
  type RedisLease,
  thisProcess,
} from '../lease/index.js';
import type { ValidateOptions } from '../manifests/index.js';
import { metricsEndpoint } from '../metrics/index.js';
import type { NodeOptions } from '../node/index.js';
import { Notifier } from '../notify/index.js';
import type { QueueCounts, QueueWorker } from '../queue/index.js';
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
  /** The leases' timings (tests). */
  lease?: LeaseTimings;
}

/** How the leases of a process are timed (see docs/reliability.md). */
export interface LeaseTimings {
  /** How long a lease lives without a renewal: a dead holder's work moves on after it. Default 8 s. */
  ttlMs?: number;
  /** How often the holder renews. Default a quarter of ttlMs. */
  renewMs?: number;
  /** How often a standby tries to take a lease. Default 1 s. */
  retryMs?: number;
}

/** A running Berth: stop() lets reconciles in progress finish; containers keep running. */
export interface BerthProcess {
  /** The stores of this process. */
  stores: Stores;
  workers: ControllerWorkers;
  /** The node role, while this process holds its node's lease. */
  readonly node: NodeRole | undefined;
  /** The sources, API and rollbacks, while this process leads. */
  readonly daemon: BerthDaemon | undefined;
  /** True while this process leads (holds the leader lease). */
  leading(): boolean;
  /**
   * Stops: no container is created or started from the first instant (synchronously), then
   * the leader's work, the queues, the node role; the leases go last, so `berth down` waits
   * for a stopping process.
   */
  stop(): Promise<void>;
}

/**
 * Starts Berth's roles in this process (see {@link BerthProcessOptions.role}). Every process
 * holds a process lease (what `berth down` checks). With role `all`, it campaigns for its
 * node's lease (the node role: one process per node runs pods) and for the leader lease (the
 * sources, the API, history, git writes): each is tried once before this resolves (a failed
 * start throws) and then, while another process holds it, every `retryMs` (standby).
 */
export async function startBerth(options: BerthProcessOptions): Promise<BerthProcess> {
  const { config, redis, docker, logger } = options;
  // The one place the stores and the notifier of this process are made.
  const stores = createStores(redis, config.redis.keyPrefix);
  const notifier = new Notifier({
    targets: config.notifications,
    logger,
    ...(options.env ? { env: options.env } : {}),
  });
  const keys = leaseKeys(config.redis.keyPrefix);
  const holder = thisProcess(config.node.name);
  const timings = {
    ttlMs: options.lease?.ttlMs ?? 8_000,
    ...(options.lease?.renewMs !== undefined ? { renewMs: options.lease.renewMs } : {}),
  };
  const campaign = (
    role: string,
    key: string,
    lead: (fence: Fence, lease: RedisLease) => Promise<void>,
    abdicate: () => Promise<void>,
    logLevel?: 'debug',
  ) =>
    new LeaseCampaign({
      redis,
      key,
      holder:
        role === 'process' && options.role === 'worker' ? { ...holder, worker: true } : holder,
      ...timings,
      retryMs: options.lease?.retryMs ?? 1_000,
      role,
      lead,
      abdicate,
      logger,
      ...(logLevel ? { logLevel } : {}),
    });
  // This process runs: `berth down` refuses while the lease lives.
  const presence = campaign(
    'process',
    keys.process(holder.host, holder.pid),
    async () => {},
    async () => {},
    'debug',
  );
  await presence.start();
  let workers: ControllerWorkers;
  try {
    workers = await ControllerWorkers.start({
      config,
      redis,
      stores,
      notifier,
      logger,
      ...(options.resyncMs !== undefined ? { resyncMs: options.resyncMs } : {}),
    });
  } catch (err) {
    await presence.stop();
    throw err;
  }
  if (options.role === 'worker') {
    return {
      stores,
      workers,
      node: undefined,
      daemon: undefined,
      leading: () => false,
      stop: async () => {
        await workers.close();
        await notifier.drain();
        await presence.stop();
      },
    };
  }
  let node: NodeRole | undefined;
  let daemon: BerthDaemon | undefined;
  let rollbacks: QueueWorker | undefined;
  const nodeCampaign = campaign(
    `node ${config.node.name}`,
    keys.node(config.node.name),
    async () => {
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
    },
    async () => {
      const role = node;
      node = undefined;
      role?.halt();
      await role?.stop();
    },
  );
  const leaderCampaign = campaign(
    'leader',
    keys.leader,
    async (fence, lease) => {
      const started = new BerthDaemon({
        config,
        redis,
        stores,
        notifier,
        logger,
        policy: options.policy,
        docker,
        fence,
        checkLease: () => lease.check(),
        metrics: metricsEndpoint({
          sources: () => stores.sources.list(),
          pods: () => stores.objects.list('Pod'),
          queues: async () => {
            const queues = {
              sync: workers.syncQueue,
              reconcile: workers.reconcileQueue,
              node: workers.nodeQueue,
              rollback: workers.rollbackQueue,
            };
            const entries = Object.entries(queues);
            const counts = await Promise.all(entries.map(([, q]) => q.counts()));
            return Object.fromEntries(entries.map(([name], i) => [name, counts[i] as QueueCounts]));
          },
        }),
        ...(options.env ? { env: options.env } : {}),
        publish: (source, revision, objects) => workers.publish(source, revision, objects, fence),
      });
      daemon = started;
      // The rollback queue needs git, so the leader (the process with the sources) consumes it.
      rollbacks = workers.rollbackQueue.startWorker(
        autoRollbackReconciler({
          sources: config.sources,
          stateDir: config.stateDir,
          states: stores.sources,
          watchers: () => started.sourceSet(),
          pin: (source, good, bad, flag) => workers.pin(source, good, bad, flag, fence),
          record: (event) => workers.record(event),
          fence,
          check: () => lease.check(),
          logger,
          ...(options.env ? { env: options.env } : {}),
        }),
      );
      await started.start();
      logger.info(
        { leader: describeHolder(holder), fencingToken: fence.token },
        `leading: this process (${describeHolder(holder)}) runs the sources, history and rollbacks`,
      );
    },
    async () => {
      const [d, r] = [daemon, rollbacks];
      daemon = undefined;
      rollbacks = undefined;
      await Promise.all([d?.stop(), r?.close()]);
    },
  );
  // A role that fails to start stops those already started: a failed start leaves nothing running.
  try {
    await nodeCampaign.start();
    await leaderCampaign.start();
  } catch (err) {
    await leaderCampaign.stop().catch(() => undefined);
    await workers.close().catch(() => undefined);
    await nodeCampaign.stop().catch(() => undefined);
    await notifier.drain().catch(() => undefined);
    await presence.stop().catch(() => undefined);
    throw err;
  }
  return {
    stores,
    workers,
    get node() {
      return node;
    },
    get daemon() {
      return daemon;
    },
    leading: () => leaderCampaign.isLeading(),
    stop: async () => {
      // First, synchronously: not one container more.
      node?.halt();
      await leaderCampaign.stop();
      await nodeCampaign.stop();
      await workers.close();
      await notifier.drain();
      await presence.stop();
    },
  };
}
