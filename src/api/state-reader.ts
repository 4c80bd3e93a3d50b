import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import type { SourceConfig } from '../config/index.js';
import { describeObject } from '../kubectl/describe-object.js';
import { describeSource } from '../kubectl/describe-source.js';
import { maskSecret } from '../kubectl/mask-secret.js';
import { asList } from '../kubectl/output-format.js';
import { findPodLogContainer, type PodLogTarget } from '../kubectl/pod-log-container.js';
import { RESOURCE_KINDS, type ResourceKind } from '../kubectl/resource-kinds.js';
import { revisionList } from '../kubectl/revision-list.js';
import { asResource, sourceView } from '../kubectl/source-resource.js';
import { type InstanceLeases, readInstanceLeases } from '../lease/index.js';
import type { LabelSelector } from '../manifests/generated/k8s-objects.js';
import { selectorMatches } from '../manifests/label-selector.js';
import { copyContainerLogs, type LogSink } from '../runtime/index.js';
import {
  createStores,
  type EventStore,
  type HistoryStore,
  type ObjectStore,
  type SourceStateStore,
  type StoredEvent,
  type StoredObject,
  type Stores,
} from '../store/index.js';
import { storeId } from '../util/store-id.js';
import { LiveFeed, type LiveMessage } from './live-feed.js';
import { objectTree, type TreeNode } from './object-tree.js';

/** Options of {@link StateReader}. */
export interface StateReaderOptions {
  redis: Redis;
  /** `redis.keyPrefix` of the instance. */
  prefix: string;
  /** The instance name (Docker labels of its containers). */
  instance: string;
  /** The process's stores (createStores); default: built over `redis` and `prefix`. */
  stores?: Stores;
  /** The configured sources (a configured source Berth has not seen yet is still listed). */
  sources: readonly SourceConfig[];
  /** For pod logs; without it they answer 503. */
  docker?: Docker;
  /** How often the live feed looks for changes while a client listens. Default 1,000 ms. */
  feedIntervalMs?: number;
}

/** Filters of {@link StateReader.events}. */
export interface EventFilter {
  source?: string;
  namespace?: string;
  /** One object's events (kind, namespace, name all given). */
  object?: { kind: string; namespace: string; name: string };
  /** Default 50. */
  limit?: number;
}

/**
 * Berth's stored state as the API and the dashboard show it, in the shapes of the CLI's
 * `-o json` (built by the same functions): sources, objects (Secrets redacted), events,
 * history, a source's object tree, pod logs, and a live feed of changes.
 */
export class StateReader {
  readonly objectStore: ObjectStore;
  private readonly states: SourceStateStore;
  private readonly eventStore: EventStore;
  private readonly historyStore: HistoryStore;
  readonly feed: LiveFeed;

  constructor(private readonly options: StateReaderOptions) {
    const stores = options.stores ?? createStores(options.redis, options.prefix);
    this.objectStore = stores.objects;
    this.states = stores.sources;
    this.eventStore = stores.events;
    this.historyStore = stores.history;
    this.feed = new LiveFeed({
      redis: options.redis,
      eventsKey: `${options.prefix}:events`,
      fingerprint: () => this.fingerprint(),
      intervalMs: options.feedIntervalMs ?? 1000,
    });
  }

  /** The one-way id of the store read (its key prefix), the API's `x-berth-store` header. */
  get storeId(): string {
    return storeId(this.options.prefix);
  }

  /** Configured sources and those with a state in Redis, sorted. */
  async sourceNames(): Promise<string[]> {
    const stored = await this.states.list();
    return [
      ...new Set([...this.options.sources.map((s) => s.name), ...stored.map((s) => s.name)]),
    ].sort();
  }

  /** The live processes of the instance, from their leases (as `berth status` lists them). */
  processes(): Promise<InstanceLeases> {
    return readInstanceLeases(this.options.redis, this.options.prefix);
  }

  /** Every source as `berth status -o json` prints it (a List of `Source`). */
  async sources(): Promise<Record<string, unknown>> {
    const names = await this.sourceNames();
    return asList(await Promise.all(names.map((n) => this.sourceResource(n))));
  }

  /** One source, or undefined when Berth knows no such source (one read of its state). */
  async source(name: string): Promise<Record<string, unknown> | undefined> {
    const stored = await this.states.get(name);
    const configured = this.options.sources.find((s) => s.name === name);
    if (!stored && !configured) return undefined;
    return asResource(sourceView(name, stored, configured));
  }

  /** A source's revisions, newest first, as `berth history -o json` prints them. */
  async history(name: string, limit = 50): Promise<Record<string, unknown>> {
    return revisionList(name, await this.historyStore.list(name, limit));
  }

  /** The plan Berth made of a revision when it saw it (`berth plan`'s text), or undefined. */
  revisionPlan(source: string, revision: string): Promise<string | undefined> {
    return this.historyStore.plan(source, revision);
  }

  /** Events, newest first, as a List of `v1 Event`. */
  async events(filter: EventFilter = {}): Promise<Record<string, unknown>> {
    const limit = filter.limit ?? 50;
    const events = filter.object
      ? await this.eventStore.forObject(filter.object, limit)
      : await this.eventStore.recent({
          limit,
          ...(filter.source !== undefined ? { source: filter.source } : {}),
          ...(filter.namespace !== undefined ? { namespace: filter.namespace } : {}),
        });
    return asList(events.map(eventResource));
  }

  /** The objects of a kind (one namespace, or all), Secrets redacted, as `berth get -o json`. */
  async objects(
    kind: ResourceKind,
    namespace?: string,
    selector?: LabelSelector,
  ): Promise<Record<string, unknown>> {
    let objects = await this.objectStore.list(kind.kind, kind.namespaced ? namespace : '');
    if (selector)
      objects = objects.filter((o) => selectorMatches(selector, o.metadata.labels ?? {}));
    return asList(objects.map(maskSecret));
  }

  /** One object, Secrets redacted, or undefined. */
  async object(
    kind: ResourceKind,
    namespace: string,
    name: string,
  ): Promise<StoredObject | undefined> {
    const o = await this.objectStore.get(
      `${kind.kind}/${kind.namespaced ? namespace : ''}/${name}`,
    );
    return o ? maskSecret(o) : undefined;
  }

  /**
   * One object as `berth describe <kind> <name>` prints it (with its newest 50 events), or
   * undefined. A Secret shows its keys and sizes only.
   */
  async describe(kind: ResourceKind, namespace: string, name: string): Promise<string | undefined> {
    const ns = kind.namespaced ? namespace : '';
    const object = await this.objectStore.get(`${kind.kind}/${ns}/${name}`);
    if (!object) return undefined;
    const events = await this.eventStore.forObject({ kind: kind.kind, namespace: ns, name }, 50);
    return describeObject({ object, store: this.objectStore, events, now: new Date() });
  }

  /** A source as `berth describe source <name>` prints it, or undefined for an unknown source. */
  async describeSource(name: string): Promise<string | undefined> {
    if (!(await this.sourceNames()).includes(name)) return undefined;
    const [current, events] = await Promise.all([
      this.states.get(name),
      this.eventStore.forObject({ kind: 'Source', namespace: '', name }, 50),
    ]);
    return describeSource(name, current, events, new Date());
  }

  /** The tree of a source's objects with their health (Deployment → ReplicaSets → Pods, ...). */
  async tree(source: string): Promise<TreeNode[]> {
    // The kind indexes in one round trip (concurrent commands share the connection's
    // pipeline), then every object and status in one MGET per 250 objects.
    const keys = await Promise.all(RESOURCE_KINDS.map((k) => this.objectStore.keys(k.kind)));
    const all = await this.objectStore.getMany(keys.flat().sort());
    return objectTree(source, all, new Date());
  }

  /** The container a pod's logs come from, or why there is none. */
  async podLogTarget(
    namespace: string,
    pod: string,
    container?: string,
    previous?: boolean,
  ): Promise<PodLogTarget | undefined> {
    if (!this.options.docker) return undefined;
    return findPodLogContainer(this.options.docker, {
      instance: this.options.instance,
      namespace,
      pod,
      ...(container ? { container } : {}),
      ...(previous ? { previous: true } : {}),
    });
  }

  /** Copies a container's logs to `sink` (following until `stop` when asked). */
  async copyLogs(
    id: string,
    sink: LogSink,
    options: { tail?: number; follow?: boolean; stop?: Promise<unknown> },
  ): Promise<void> {
    if (!this.options.docker) return;
    await copyContainerLogs(this.options.docker, id, sink, options);
  }

  /** Listens to the live feed; returns the function that stops listening. */
  subscribe(listener: (message: LiveMessage) => void): () => void {
    return this.feed.subscribe(listener);
  }

  /** Ends every live stream (server shutdown). */
  closeStreams(): void {
    this.feed.close();
  }

  private async sourceResource(name: string): Promise<Record<string, unknown>> {
    return asResource(
      sourceView(
        name,
        await this.states.get(name),
        this.options.sources.find((s) => s.name === name),
      ),
    );
  }

  /** What changes when a source's state changes: every state hash, compared as text. */
  private async fingerprint(): Promise<string> {
    const states = await this.states.list();
    return JSON.stringify(states);
  }
}

/** A stored event as a `v1 Event`. */
export function eventResource(e: StoredEvent): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {
      name: `${e.object.name}.${e.id}`,
      ...(e.object.namespace ? { namespace: e.object.namespace } : {}),
      ...(e.source ? { labels: { 'berth.dev/source': e.source } } : {}),
      ...(e.revision ? { annotations: { 'berth.dev/revision': e.revision } } : {}),
    },
    involvedObject: e.object,
    type: e.type,
    reason: e.reason,
    message: e.message,
    lastTimestamp: e.time,
  };
}
