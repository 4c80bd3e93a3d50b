import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { openSecret, sealSecret } from './secret-codec.js';

/** metadata.ownerReferences[] as Kubernetes writes it (controller: true for the managing owner). */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
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
}

/** A Kubernetes-shaped object in the store: apiVersion, kind, metadata, the body, and its status. */
export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: StoredMetadata;
  status?: unknown;
  [field: string]: unknown;
}

/** What {@link ObjectStore.apply} takes: an object without the metadata the store assigns. */
export interface ObjectInput {
  apiVersion: string;
  kind: string;
  metadata: Omit<StoredMetadata, 'uid' | 'generation' | 'creationTimestamp'> & {
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
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** The key of an object's controlling owner, if it has one. */
export function controllerOf(o: StoredObject): string | undefined {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${o.metadata.namespace ?? ''}/${ref.name}` : undefined;
}

// Stores the body only if the object still exists: a status written after a delete must not
// resurrect anything. KEYS[1] object, KEYS[2] status; ARGV[1] status JSON.
const PUT_STATUS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
return 1`;

/**
 * Berth's view of the objects it manages, in Redis: the objects from Git (written by the sync of
 * their source) and those controllers make (ReplicaSets of a Deployment, Pods of a ReplicaSet),
 * each with its status, indexed by kind and by owner. It plays the part of the Kubernetes API
 * server's storage: controllers read and write it, `berth get` reads it. Every object has one
 * writer (its source's sync, or its owner's controller) and its status one writer (its own
 * controller), so plain writes need no transaction.
 */
export class ObjectStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** The object with its status, or undefined. */
  async get(key: string): Promise<StoredObject | undefined> {
    const [body, status] = await this.redis.mget(this.objKey(key), this.statusKey(key));
    return body ? withStatus(body, status ?? null) : undefined;
  }

  /** Many objects at once, in the order of `keys`; missing ones are left out. */
  async getMany(keys: readonly string[]): Promise<StoredObject[]> {
    if (keys.length === 0) return [];
    const out: StoredObject[] = [];
    // MGET in chunks: one round trip per 500 objects.
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      const values = await this.redis.mget(
        ...chunk.flatMap((k) => [this.objKey(k), this.statusKey(k)]),
      );
      for (let j = 0; j < chunk.length; j++) {
        const body = values[2 * j];
        if (body) out.push(withStatus(body, values[2 * j + 1] ?? null));
      }
    }
    return out;
  }

  /**
   * Creates or updates an object. Keeps uid and creationTimestamp of an existing one and moves
   * its generation when the content changed; the status is left as it is. Indexes it by kind and
   * by its controlling owner.
   */
  async apply(input: ObjectInput): Promise<ApplyResult> {
    const key = storeKey(input);
    const existingJson = await this.redis.get(this.objKey(key));
    const existing = existingJson
      ? openSecret(JSON.parse(existingJson) as StoredObject)
      : undefined;
    const object = {
      ...input,
      metadata: {
        ...input.metadata,
        uid: existing?.metadata.uid ?? input.metadata.uid ?? randomUUID(),
        generation: existing?.metadata.generation ?? 1,
        creationTimestamp: existing?.metadata.creationTimestamp ?? new Date().toISOString(),
      },
    } as StoredObject;
    delete object.status;
    const changed = existing === undefined || contentOf(existing) !== contentOf(object);
    if (existing && changed) object.metadata.generation = existing.metadata.generation + 1;
    if (!changed) return { object: existing as StoredObject, changed };
    const tx = this.redis
      .multi()
      .set(this.objKey(key), JSON.stringify(sealSecret(object)))
      .sadd(this.kindKey(input.kind), key);
    const owner = controllerOf(object);
    if (owner) tx.sadd(this.ownedKey(owner), key);
    await tx.exec();
    return { object, changed };
  }

  /** Replaces the status of an existing object; returns false (and writes nothing) when it is gone. */
  async putStatus(key: string, status: unknown): Promise<boolean> {
    const done = await this.redis.eval(
      PUT_STATUS,
      2,
      this.objKey(key),
      this.statusKey(key),
      JSON.stringify(status),
    );
    return done === 1;
  }

  /** Removes an object and its status from the store (its children stay until their owner's controller removes them). */
  async delete(key: string): Promise<void> {
    const existing = await this.get(key);
    const tx = this.redis
      .multi()
      .del(this.objKey(key), this.statusKey(key))
      .srem(this.kindKey(key.slice(0, key.indexOf('/'))), key);
    const owner = existing ? controllerOf(existing) : undefined;
    if (owner) tx.srem(this.ownedKey(owner), key);
    await tx.exec();
  }

  /** Every object of a kind, optionally in one namespace, sorted by key. */
  async list(kind: string, namespace?: string): Promise<StoredObject[]> {
    let keys = await this.redis.smembers(this.kindKey(kind));
    if (namespace !== undefined) keys = keys.filter((k) => k.startsWith(`${kind}/${namespace}/`));
    return this.getMany(keys.sort());
  }

  /** Every key of a kind. */
  keys(kind: string): Promise<string[]> {
    return this.redis.smembers(this.kindKey(kind));
  }

  /** The objects whose controlling owner is `ownerKey`, sorted by key. */
  async children(ownerKey: string): Promise<StoredObject[]> {
    const keys = (await this.redis.smembers(this.ownedKey(ownerKey))).sort();
    const found = await this.getMany(keys);
    if (found.length < keys.length) {
      // A child deleted since: drop it from the index.
      const present = new Set(found.map(storeKey));
      const gone = keys.filter((k) => !present.has(k));
      await this.redis.srem(this.ownedKey(ownerKey), ...gone);
    }
    return found;
  }

  /** Removes every object of every kind (after `berth down`). */
  async clear(kinds: readonly string[]): Promise<void> {
    for (const kind of kinds) {
      const keys = await this.redis.smembers(this.kindKey(kind));
      for (const key of keys) {
        await this.redis.del(this.objKey(key), this.statusKey(key), this.ownedKey(key));
      }
      await this.redis.del(this.kindKey(kind));
    }
  }

  private objKey(key: string): string {
    return `${this.prefix}:obj:${key}`;
  }
  private statusKey(key: string): string {
    return `${this.prefix}:objstatus:${key}`;
  }
  private kindKey(kind: string): string {
    return `${this.prefix}:objkeys:${kind}`;
  }
  private ownedKey(owner: string): string {
    return `${this.prefix}:owned:${owner}`;
  }
}

function withStatus(body: string, status: string | null): StoredObject {
  const object = openSecret(JSON.parse(body) as StoredObject);
  if (status) object.status = JSON.parse(status);
  return object;
}

/** What decides the generation: everything but the bookkeeping fields. */
// The revision annotation moves on every commit and is bookkeeping too.
function contentOf(o: StoredObject): string {
  const { uid: _u, generation: _g, creationTimestamp: _c, annotations, ...meta } = o.metadata;
  const { [REVISION_ANNOTATION]: _r, ...rest } = annotations ?? {};
  const { status: _s, metadata: _m, ...body } = o;
  return JSON.stringify([meta, rest, body]);
}
