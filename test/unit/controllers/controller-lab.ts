import {
  type ControllerDeps,
  objectReconciler,
  queueOf,
  transitionTime,
} from '../../../src/controllers/index.js';
import type { Reconciler } from '../../../src/queue/index.js';
import {
  controllerOf,
  type EventStore,
  MemoryEventStore,
  MemoryObjectStore,
  type ObjectInput,
  type ObjectStore,
  ofKind,
  type Stored,
  type StoredObject,
  storeKey,
} from '../../../src/store/index.js';
import { createLogger } from '../../../src/util/logger.js';

/** How a test says a pod is doing, as the node role would report it. */
export interface PodReport {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  ready?: boolean;
  restartCount?: number;
  exitCode?: number;
}

/**
 * The controllers of the reconcile queue, run through the object reconciler against an object
 * store (in memory by default; the integration tests give it the Redis one), with a clock the
 * test moves and the two queues as plain lists the lab drains. `reportPod` stands in for the node role until it lands:
 * it writes a pod's status the way the node does (phase, Ready condition with
 * lastTransitionTime, containerStatuses, podIP) and enqueues the pod's controlling owner.
 */
export class ControllerLab {
  readonly store: ObjectStore;
  readonly events: EventStore;
  nowMs = Math.floor(Date.now() / 60_000) * 60_000;
  /** Pod keys handed to the node queue, in order. */
  readonly nodeKeys: string[] = [];
  /**
   * Whether the lab plays the node finishing a graceful deletion at once (a terminating pod's
   * containers stop instantly: it leaves the store and its owner is woken). Default true; a
   * test of the terminating state sets it false and calls {@link ControllerLab.finishTermination}.
   */
  finishTerminations = true;
  private readonly nodePending: string[] = [];
  private readonly queue: string[] = [];
  private readonly timers = new Map<string, number>();
  readonly deps: ControllerDeps;
  private readonly reconciler: Reconciler;
  private readonly log = createLogger({ level: 'silent' });

  constructor(
    stores: { store: ObjectStore; events: EventStore } = {
      store: new MemoryObjectStore(),
      events: new MemoryEventStore(),
    },
  ) {
    this.store = stores.store;
    this.events = stores.events;
    this.deps = {
      store: this.store,
      events: this.events,
      enqueue: async (key) => {
        const queue = queueOf(key.slice(0, key.indexOf('/')));
        if (queue === 'node') {
          this.nodeKeys.push(key);
          this.nodePending.push(key);
        } else if (queue === 'reconcile') this.queue.push(key);
      },
      enqueueNode: async (key) => {
        this.nodeKeys.push(key);
      },
      now: () => new Date(this.nowMs),
      logger: this.log,
    };
    this.reconciler = objectReconciler({
      deps: this.deps,
      queue: 'reconcile',
      suspended: async () => false,
    });
  }

  /** Stores an object as the sync job does (from Git, with its source annotation) and enqueues it. */
  async apply(input: ObjectInput): Promise<StoredObject> {
    const { object } = await this.store.apply({
      ...input,
      metadata: {
        ...input.metadata,
        annotations: { ...(input.metadata.annotations ?? {}), 'berth.dev/source': 'lab' },
      },
    });
    this.queue.push(storeKey(object));
    await this.settle();
    return object;
  }

  /** Deletes an object as the sync job's prune does, and lets its controller react. */
  async remove(key: string): Promise<void> {
    await this.store.delete(key);
    this.queue.push(key);
    await this.settle();
  }

  /** Reconciles queued keys until none is left (each key once per round, as the work queue does). */
  async settle(): Promise<void> {
    for (let round = 0; this.queue.length > 0 || this.nodePending.length > 0; round++) {
      for (const key of this.nodePending.splice(0)) {
        if (this.finishTerminations) await this.finishTermination(key, false);
        else await this.wakeOwnerOfTerminating(key);
      }
      if (this.queue.length === 0) continue;
      if (round > 500) throw new Error(`controllers did not settle: ${this.queue.join(', ')}`);
      const key = this.queue.shift() as string;
      if (this.queue.includes(key)) continue;
      const ctx = { key, attempt: 1, signal: new AbortController().signal, log: this.log };
      const result = await this.reconciler(ctx, key);
      if (result?.requeueAfterMs !== undefined)
        this.timers.set(key, this.nowMs + result.requeueAfterMs);
      else this.timers.delete(key);
    }
  }

  /** Moves the clock on, reconciling every key whose requeueAfterMs comes due, in time order. */
  async advance(ms: number): Promise<void> {
    const end = this.nowMs + ms;
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t <= end).sort((a, b) => a[1] - b[1]);
      if (due.length === 0) break;
      const [key, at] = due[0] as [string, number];
      this.nowMs = Math.max(this.nowMs, at);
      this.timers.delete(key);
      this.queue.push(key);
      await this.settle();
    }
    this.nowMs = end;
  }

  /** The node role's part: writes a pod's status and wakes its owner. */
  async reportPod(key: string, report: PodReport): Promise<void> {
    const pod = await this.store.get(key);
    if (!pod) throw new Error(`no pod ${key}`);
    const now = new Date(this.nowMs).toISOString();
    const previous = pod.status as
      | { conditions?: Array<{ type: string; status: string; lastTransitionTime: string }> }
      | undefined;
    const ready = report.ready ?? false;
    const before = previous?.conditions?.find((c) => c.type === 'Ready');
    const readyCondition = {
      type: 'Ready',
      status: ready ? 'True' : 'False',
      lastTransitionTime: transitionTime(before, ready ? 'True' : 'False', now),
    };
    const finished = report.phase === 'Succeeded' || report.phase === 'Failed';
    const state = finished
      ? {
          terminated: {
            exitCode: report.exitCode ?? (report.phase === 'Succeeded' ? 0 : 1),
            reason: report.phase === 'Succeeded' ? 'Completed' : 'Error',
            finishedAt: now,
          },
        }
      : report.phase === 'Running'
        ? { running: { startedAt: now } }
        : { waiting: { reason: 'ContainerCreating' } };
    await this.store.putStatus(key, {
      phase: report.phase,
      conditions: [{ type: 'PodScheduled', status: 'True' }, readyCondition],
      containerStatuses: [{ name: 'main', ready, restartCount: report.restartCount ?? 0, state }],
      podIP: '10.77.0.9',
    });
    const owner = controllerOf(pod);
    if (owner) this.queue.push(owner);
    await this.settle();
  }

  /**
   * The node's part of a graceful deletion: a terminating pod whose containers are gone is
   * deleted from the store (grace period 0) and its owner woken. A pod not terminating is left.
   */
  async finishTermination(key: string, settle = true): Promise<void> {
    const pod = await this.store.get(key);
    if (!pod?.metadata.deletionTimestamp) return;
    await this.store.delete(key, { gracePeriodSeconds: 0 });
    const owner = controllerOf(pod);
    if (owner) this.queue.push(owner);
    if (settle) await this.settle();
  }

  /** The node's first look at a terminating pod: its owner is woken to count it apart. */
  private async wakeOwnerOfTerminating(key: string): Promise<void> {
    const pod = await this.store.get(key);
    const owner = pod?.metadata.deletionTimestamp ? controllerOf(pod) : undefined;
    if (owner) this.queue.push(owner);
  }

  /** The pods an owner controls, sorted by name. */
  async pods(ownerKey: string): Promise<Stored<'Pod'>[]> {
    return ofKind(await this.store.children(ownerKey), 'Pod');
  }

  /** The names of the pods an owner controls. */
  async podNames(ownerKey: string): Promise<string[]> {
    return (await this.pods(ownerKey)).map((p) => p.metadata.name).sort();
  }

  /** The reasons of the events recorded about an object, oldest first. */
  async eventReasons(kind: string, namespace: string, name: string): Promise<string[]> {
    const list = await this.events.forObject({ kind, namespace, name }, 50);
    return list.map((e) => e.reason).reverse();
  }
}
