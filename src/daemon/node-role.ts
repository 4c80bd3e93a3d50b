import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import type { BerthConfig } from '../config/index.js';
import {
  type ControllerDeps,
  IngressRoutes,
  objectReconciler,
  PodStatusWriter,
  servicesSelecting,
} from '../controllers/index.js';
import { HostNetwork, IngressProxy, ingressProxyOptionsFromConfig } from '../network/index.js';
import {
  type ConfigMap,
  NodeAgent,
  type NodeOptions,
  nodeOptionsFromConfig,
  type Pod,
  type PodStatus,
  type Secret,
} from '../node/index.js';
import type { QueueWorker, WorkQueue } from '../queue/index.js';
import {
  isTerminating,
  type ObjectStore,
  REVISION_ANNOTATION,
  SOURCE_ANNOTATION,
  type SourceStateStore,
} from '../store/index.js';
import { errorMessage } from '../util/berth-error.js';
import type { Logger } from '../util/logger.js';
import { objectKey } from '../util/object-key.js';

/** Options of {@link NodeRole.start}. */
export interface NodeRoleOptions {
  config: BerthConfig;
  redis: Redis;
  docker: Docker;
  logger: Logger;
  /** The controllers' dependencies (store, events, queues) of this process. */
  deps: ControllerDeps;
  /** The node queue to consume. */
  queue: WorkQueue;
  states: SourceStateStore;
  /** How often every pod is enqueued again. Default 30 s. */
  resyncMs?: number;
  /** Overrides of the node options (tests: backoff, state directories). */
  node?: Partial<NodeOptions>;
}

/**
 * The node role: the one process per host that runs pods. It consumes the `node` queue with the
 * Pod controller (and the host's other node controllers), runs a NodeAgent whose pods read
 * their ConfigMaps and Secrets from the object store, and writes every pod status the agent
 * reports back to the store. On start it adopts the pods Docker already runs and enqueues every
 * pod the store or Docker knows, so that a restart converges both ways.
 */
export class NodeRole {
  private timer: NodeJS.Timeout | undefined;
  /** The node queue's worker of this process. */
  private worker: QueueWorker | undefined;
  private constructor(
    readonly agent: NodeAgent,
    readonly host: HostNetwork,
    readonly ingress: IngressProxy,
    private readonly options: NodeRoleOptions,
    private readonly storePods: () => Promise<ReadonlySet<string>>,
  ) {}

  /** The orphan sweep under way, if any. */
  private sweeping: Promise<unknown> | undefined;

  static async start(options: NodeRoleOptions): Promise<NodeRole> {
    const { config, docker, logger, deps } = options;
    const store = deps.store;
    // The host's network first: pods are given its DNS server.
    const host = new HostNetwork({
      docker,
      instance: config.instance,
      podCIDR: config.network.podCIDR,
      clusterDomain: config.network.clusterDomain,
      mode: config.network.proxyMode,
      hostAddress: config.network.hostAddress,
      logger,
    });
    await host.start();
    const ingress = await IngressProxy.start(ingressProxyOptionsFromConfig(config, logger));
    const wakeServices = async (pod: Pod) => {
      for (const key of await servicesSelecting(store, pod)) await deps.enqueue(key);
    };
    const agent = new NodeAgent(
      nodeOptionsFromConfig(config, docker, {
        lookup: {
          configMap: async (ns, name) =>
            (await store.get(objectKey('ConfigMap', ns, name))) as unknown as ConfigMap | undefined,
          secret: async (ns, name) =>
            (await store.get(objectKey('Secret', ns, name))) as unknown as Secret | undefined,
        },
        logger,
        recordEvent: (pod, event) => {
          const annotations = pod.metadata.annotations ?? {};
          const source = annotations[SOURCE_ANNOTATION];
          const revision = annotations[REVISION_ANNOTATION];
          deps.events
            .record({
              type: event.type,
              reason: event.reason,
              object: {
                kind: 'Pod',
                namespace: pod.metadata.namespace ?? 'default',
                name: pod.metadata.name,
              },
              message: event.message,
              ...(source ? { source } : {}),
              ...(revision ? { revision } : {}),
            })
            .catch((err) =>
              logger.warn({ err: errorMessage(err) }, 'could not record a pod event'),
            );
        },
        ...host.nodeOptions(),
        ...options.node,
      }),
    );
    const writer = new PodStatusWriter({
      store,
      enqueue: deps.enqueue,
      onChange: wakeServices,
      now: deps.now,
      logger,
    });
    // A terminating pod whose containers are gone is looked at again: its controller deletes it.
    agent.on('terminated', (pod: Pod) => {
      deps
        .enqueue(objectKey('Pod', pod.metadata.namespace ?? 'default', pod.metadata.name))
        .catch((err) => logger.warn({ err: errorMessage(err) }, 'could not enqueue a pod'));
    });
    agent.on('status', (pod: Pod, status: PodStatus) => {
      writer
        .write(pod, status)
        .catch((err) =>
          logger.warn(
            { namespace: pod.metadata.namespace, pod: pod.metadata.name, err: errorMessage(err) },
            'could not record the pod status',
          ),
        );
    });
    // Only pods still in the store are adopted: a pod deleted while Berth was down is never
    // restarted; a terminating one is not synced either (its node controller finishes it).
    const storePods = async () => new Set((await store.list('Pod')).map((p) => p.metadata.uid));
    const kept = new Set(
      (await store.list('Pod')).filter((p) => !isTerminating(p)).map((p) => p.metadata.uid),
    );
    await agent.start((pod) => pod.metadata.uid !== undefined && kept.has(pod.metadata.uid));
    const worker = options.queue.startWorker(
      objectReconciler({
        deps: {
          ...deps,
          node: {
            agent,
            writer,
            podGone: wakeServices,
            serviceProxy: host,
            ingress: new IngressRoutes(ingress),
          },
        },
        queue: 'node',
        suspended: (source) => options.states.suspended(source),
      }),
    );
    const role = new NodeRole(agent, host, ingress, options, storePods);
    role.worker = worker;
    await host.sync(store);
    await role.resync(store);
    // Every pod is looked at again now and then: what Docker lost while nobody watched comes back.
    role.timer = setInterval(() => {
      role
        .resync(store)
        .catch((err) =>
          logger.warn({ err: errorMessage(err) }, 'node resync failed; trying again later'),
        );
    }, options.resyncMs ?? 30_000);
    role.timer.unref();
    return role;
  }

  /**
   * Housekeeping (every container of a pod not in the store, or of another uid, is stopped and
   * removed), then enqueues every pod the store has and every pod Docker runs.
   */
  async resync(store: ObjectStore): Promise<void> {
    // Orphans stop within their grace period: that runs beside the resync, never holding up
    // the start of Berth or the pods that should run (one sweep at a time).
    this.sweeping ??= this.agent
      .removeOrphans(this.storePods)
      .catch((err) =>
        this.options.logger.warn(
          { err: errorMessage(err) },
          'removing orphan pods failed; trying again at the next resync',
        ),
      )
      .finally(() => {
        this.sweeping = undefined;
      });
    const keys = new Set(await store.keys('Pod'));
    // A pod Docker runs but the store lacks is the sweep's to remove: queued, its node controller
    // could start its sandbox again while the sweep stops it.
    const wanted = await this.storePods();
    for (const pod of await this.agent.listPods()) {
      if (pod.metadata.uid !== undefined && wanted.has(pod.metadata.uid))
        keys.add(objectKey('Pod', pod.metadata.namespace ?? 'default', pod.metadata.name));
    }
    // One Ingress key rebuilds every route (the proxy starts empty).
    const [ingress] = await store.keys('Ingress');
    if (ingress) keys.add(ingress);
    await this.options.queue.enqueueAll(keys);
  }

  /**
   * Stops starting containers at once, synchronously (SIGTERM, a lost node lease): the agent's
   * door shuts (a node job or pod sync in flight ends without creating or starting anything)
   * and the resync stops. {@link stop} does the rest.
   */
  halt(): void {
    clearInterval(this.timer);
    this.agent.stop();
  }

  /**
   * Stops following pods, consuming the node queue (jobs in flight end first) and serving ingress (containers keep running, a restart adopts them;
   * Service rules stay, so ClusterIP traffic flows across a restart).
   */
  async stop(): Promise<void> {
    this.halt();
    await this.worker?.close();
    await this.ingress.close();
    await this.host.stop();
  }
}
