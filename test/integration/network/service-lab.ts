import type { Redis } from 'ioredis';
import {
  type ControllerDeps,
  type NodeServices,
  objectReconciler,
  serviceController,
  serviceProxyController,
} from '../../../src/controllers/index.js';
import { servicesSelecting } from '../../../src/controllers/services-selecting.js';
import { HostNetwork, type HostNetworkOptions } from '../../../src/network/host-network.js';
import {
  ClusterIPAllocator,
  NodePortAllocator,
  type ServiceAddressing,
} from '../../../src/network/services/index.js';
import type { NodeAgent } from '../../../src/node/index.js';
import type { Pod, PodStatus } from '../../../src/node/pod-spec.js';
import type { Reconciler } from '../../../src/queue/index.js';
import {
  type ObjectInput,
  type ObjectStore,
  RedisEventStore,
  RedisObjectStore,
  storeKey,
} from '../../../src/store/index.js';
import { createLogger } from '../../../src/util/logger.js';

const ctx = {
  key: '',
  attempt: 1,
  signal: new AbortController().signal,
  log: createLogger({ level: 'silent' }),
};

/**
 * What the node role and the reconcile queue do for Services, run in-process: pods from the
 * store are synced by a NodeAgent, their status written back to the store, the Services
 * selecting a pod whose status changed reconciled, and the host network synced after each.
 * Work is serialized, as one queue worker would do it.
 */
export class ServiceLab {
  readonly store: ObjectStore;
  readonly deps: ControllerDeps;
  private readonly services: Reconciler;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly lastStatus = new Map<string, string>();

  constructor(
    redis: Redis,
    prefix: string,
    public host: HostNetwork,
    readonly addressing: ServiceAddressing,
  ) {
    this.store = new RedisObjectStore(redis, prefix);
    this.deps = {
      store: this.store,
      events: new RedisEventStore(redis, prefix),
      enqueue: async () => undefined,
      enqueueNode: (key) => proxy({ ...ctx, key }, key).then(() => undefined),
      services: addressing,
      // Only the Service proxy runs here: the lab has no pods' agent or Ingress proxy to give.
      node: {
        serviceProxy: { sync: (store) => this.host.sync(store) },
      } as NodeServices,
      now: () => new Date(),
      logger: createLogger({ level: 'silent' }),
    };
    const suspended = async () => false;
    const proxy = objectReconciler({
      deps: this.deps,
      queue: 'node',
      suspended,
      controllers: [serviceProxyController],
    });
    this.services = objectReconciler({
      deps: this.deps,
      queue: 'reconcile',
      suspended,
      controllers: [serviceController],
    });
  }

  /** Allocators over the test's Redis prefix: a service CIDR and NodePort range of the test's own. */
  static addressing(
    redis: Redis,
    prefix: string,
    serviceCIDR: string,
    nodePorts: { min: number; max: number },
  ): ServiceAddressing {
    return {
      clusterIPs: new ClusterIPAllocator(redis, prefix, serviceCIDR),
      nodePorts: new NodePortAllocator(redis, prefix, nodePorts),
      loadBalancerAddress: '127.0.0.1',
    };
  }

  /** Starts a HostNetwork on a fresh random 10.2xx.y.0/24 cluster network (retried on overlap). */
  static async startHost(options: HostNetworkOptions): Promise<HostNetwork> {
    for (let attempt = 0; ; attempt += 1) {
      const podCIDR = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}.0/24`;
      const host = new HostNetwork({ ...options, podCIDR });
      try {
        await host.start();
        return host;
      } catch (err) {
        if (attempt >= 5 || !/overlap/i.test(String(err))) throw err;
      }
    }
  }

  /** Follows the agent's pod statuses into the store (what the node role's status writer does). */
  follow(agent: NodeAgent): void {
    agent.on('status', (pod: Pod, status: PodStatus) => {
      const key = `Pod/${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;
      const json = JSON.stringify(status);
      if (this.lastStatus.get(key) === json) return;
      this.lastStatus.set(key, json);
      void this.serialize(async () => {
        if (!(await this.store.putStatus(key, status))) return;
        const stored = await this.store.get(key);
        if (!stored) return;
        for (const svc of await servicesSelecting(this.store, stored)) await this.reconcile(svc);
      }).catch(() => undefined);
    });
  }

  /** Stores an object (as a source's sync would). */
  async apply(input: ObjectInput): Promise<void> {
    await this.store.apply(input);
  }

  /** Reconciles a Service key now (serialized with status-driven work). */
  reconcileService(key: string): Promise<void> {
    return this.serialize(() => this.reconcile(key));
  }

  /** Runs a stored pod on the agent. */
  async runPod(agent: NodeAgent, key: string): Promise<Pod> {
    const stored = await this.store.get(key);
    if (!stored) throw new Error(`no ${key}`);
    const pod = stored as unknown as Pod;
    await agent.syncPod(pod);
    return pod;
  }

  /** Waits until queued work has run. */
  idle(): Promise<unknown> {
    return this.serialize(async () => undefined);
  }

  private async reconcile(key: string): Promise<void> {
    await this.services({ ...ctx, key }, key);
  }

  private serialize<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

export { storeKey };
