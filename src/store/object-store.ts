import { randomUUID } from 'node:crypto';
import type { Kind, KindMap } from '../manifests/generated/k8s-kinds.js';
import { objectKey } from '../util/object-key.js';

/** metadata.ownerReferences[] as Kubernetes writes it (controller: true for the managing owner). */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

/** Options of {@link ObjectStore.delete} (Kubernetes' DeleteOptions, the part Berth uses). */
export interface DeleteOptions {
  /**
   * Seconds the object's node has to stop it. Default: the pod's
   * `spec.terminationGracePeriodSeconds`, else 30. 0 removes the object at once (what the node
   * does once the pod's containers are gone). An object already terminating only ever gets a
   * shorter one.
   */
  gracePeriodSeconds?: number;
}

/** The metadata Berth keeps for every object it manages. */
export interface StoredMetadata {
  name: string;
  /** Absent for cluster-scoped kinds. */
  namespace?: string;
  /** Assigned when the object is first stored; kept across updates. */
  uid: string;
  /** 1 on create; +1 each time anything but metadata.generation/uid/creationTimestamp changes. */
  generation: number;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  /**
   * Set when a graceful deletion began (a Pod): the time after which it is gone (RFC 3339). The
   * object stays until its node has stopped it; an update never clears it.
   */
  deletionTimestamp?: string;
  /** The grace period the deletion was given, in seconds (set with deletionTimestamp). */
  deletionGracePeriodSeconds?: number;
}

/** A Kubernetes-shaped object in the store: apiVersion, kind, metadata, the body, and its status. */
export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: StoredMetadata;
  status?: unknown;
  [field: string]: unknown;
}

/**
 * An object of a kind Berth implements, as the store holds it: the generated type of the kind
 * (src/manifests/generated), the store's metadata and the status its controller writes.
 */
export type Stored<K extends Kind> = Omit<KindMap[K]['object'], 'metadata'> & {
  metadata: StoredMetadata;
  status?: KindMap[K]['status'];
};

/** The stored type of the kind `K` names: typed for the kinds Berth implements, else untyped. */
export type StoredOf<K extends string> = K extends Kind ? Stored<K> : StoredObject;

/** The key {@link ObjectStore.get} reads: a key, or a kind, namespace and name. */
export function keyOf(keyOrKind: string, namespace?: string, name?: string): string {
  return name === undefined ? keyOrKind : objectKey(keyOrKind, namespace ?? '', name);
}

/** What {@link ObjectStore.apply} takes: an object without the metadata the store assigns. */
export interface ObjectInput {
  apiVersion: string;
  kind: string;
  metadata: Omit<
    StoredMetadata,
    'uid' | 'generation' | 'creationTimestamp' | 'deletionTimestamp' | 'deletionGracePeriodSeconds'
  > & {
    uid?: string;
  };
  [field: string]: unknown;
}

/** The outcome of {@link ObjectStore.apply}. */
export interface ApplyResult {
  object: StoredObject;
  /** True when the object was new or its content changed (generation moved). */
  changed: boolean;
}

/** Annotation naming the source (berth.yaml) an object from Git belongs to. */
export const SOURCE_ANNOTATION = 'berth.dev/source';
/** Annotation naming the commit an object from Git was last applied from. */
export const REVISION_ANNOTATION = 'berth.dev/revision';

/** The store key of an object: `Kind/namespace/name`, namespace empty when cluster-scoped. */
export function storeKey(o: { kind: string; metadata: { namespace?: string; name: string } }) {
  return objectKey(o.kind, o.metadata.namespace ?? '', o.metadata.name);
}

/** The key of an object's controlling owner, if it has one. */
export function controllerOf(o: StoredObject): string | undefined {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller);
  return ref ? objectKey(ref.kind, o.metadata.namespace ?? '', ref.name) : undefined;
}

/**
 * Berth's view of the objects it manages: the objects from Git (written by the sync of their
 * source) and those controllers make (ReplicaSets of a Deployment, Pods of a ReplicaSet), each
 * with its status, indexed by kind and by owner. It plays the part of the Kubernetes API
 * server's storage (controller-runtime's client.Reader and Writer): controllers read and write
 * it, `berth get` reads it. Every object has one writer (its source's sync, or its owner's
 * controller) and its status one writer (its own controller), so plain writes need no
 * transaction. RedisObjectStore is the one Berth runs on; MemoryObjectStore serves unit tests.
 */
export interface ObjectStore {
  /** The object with its status, or undefined. */
  get(key: string): Promise<StoredObject | undefined>;
  /** The object of a kind Berth implements, typed (`namespace` `''` for cluster-scoped kinds). */
  get<K extends Kind>(kind: K, namespace: string, name: string): Promise<Stored<K> | undefined>;
  /** Many objects at once, in the order of `keys`; missing ones are left out. */
  getMany(keys: readonly string[]): Promise<StoredObject[]>;
  /**
   * Creates or updates an object. Keeps uid and creationTimestamp of an existing one and moves
   * its generation when the content changed; the status is left as it is. Indexes it by kind and
   * by its controlling owner.
   */
  apply(input: ObjectInput): Promise<ApplyResult>;
  /** Replaces the status of an existing object; returns false (and writes nothing) when it is gone. */
  putStatus(key: string, status: unknown): Promise<boolean>;
  /**
   * Deletes an object as the API server does (see {@link gracefulDeletion}): a Pod that runs is
   * marked terminating (deletionTimestamp, deletionGracePeriodSeconds) and stays until its node
   * deletes it with `gracePeriodSeconds: 0`; anything else is removed with its status at once
   * (its children stay until their owner's controller removes them). A missing key is fine.
   */
  delete(key: string, options?: DeleteOptions): Promise<void>;
  /** Every object of a kind, optionally in one namespace, sorted by key (typed for Berth's kinds). */
  list<K extends Kind>(kind: K, namespace?: string): Promise<Stored<K>[]>;
  list(kind: string, namespace?: string): Promise<StoredObject[]>;
  /** Every key of a kind. */
  keys(kind: string): Promise<string[]>;
  /** The objects whose controlling owner is `ownerKey`, sorted by key. */
  children(ownerKey: string): Promise<StoredObject[]>;
  /** Removes every object of these kinds (after `berth down`). */
  clear(kinds: readonly string[]): Promise<void>;
}

/**
 * What {@link ObjectStore.apply} stores for `input` given the `existing` object: uid and
 * creationTimestamp kept, generation moved when the content changed, no status. `changed`
 * false means nothing is to be written (the object returned is `existing`).
 */
export function nextObject(existing: StoredObject | undefined, input: ObjectInput): ApplyResult {
  const object = {
    ...input,
    metadata: {
      ...input.metadata,
      uid: existing?.metadata.uid ?? input.metadata.uid ?? randomUUID(),
      generation: existing?.metadata.generation ?? 1,
      creationTimestamp: existing?.metadata.creationTimestamp ?? new Date().toISOString(),
    },
  } as StoredObject;
  // A deletion under way is kept; an update can neither start nor cancel one.
  delete object.metadata.deletionTimestamp;
  delete object.metadata.deletionGracePeriodSeconds;
  const { deletionTimestamp, deletionGracePeriodSeconds } = existing?.metadata ?? {};
  if (deletionTimestamp) {
    object.metadata.deletionTimestamp = deletionTimestamp;
    if (deletionGracePeriodSeconds !== undefined)
      object.metadata.deletionGracePeriodSeconds = deletionGracePeriodSeconds;
  }
  delete object.status;
  const changed = existing === undefined || contentOf(existing) !== contentOf(object);
  if (existing && changed) object.metadata.generation = existing.metadata.generation + 1;
  if (!changed) return { object: existing as StoredObject, changed };
  return { object, changed };
}

/** What decides the generation: everything but the bookkeeping fields. */
// The revision annotation moves on every commit and is bookkeeping too.
function contentOf(o: StoredObject): string {
  const { uid: _u, generation: _g, creationTimestamp: _c, annotations, ...meta } = o.metadata;
  const { [REVISION_ANNOTATION]: _r, ...rest } = annotations ?? {};
  const { status: _s, metadata: _m, ...body } = o;
  return JSON.stringify([meta, rest, body]);
}
