import type { Redis } from 'ioredis';
import type { Kind } from '../manifests/generated/k8s-kinds.js';
import { gracefulDeletion } from './graceful-deletion.js';
import {
  type ApplyResult,
  controllerOf,
  type DeleteOptions,
  keyOf,
  nextObject,
  type ObjectInput,
  type ObjectStore,
  type Stored,
  type StoredObject,
  storeKey,
} from './object-store.js';
import { openSecret, sealSecret } from './secret-codec.js';

// Stores the body only if the object still exists: a status written after a delete must not
// resurrect anything. KEYS[1] object, KEYS[2] status; ARGV[1] status JSON.
const PUT_STATUS = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[1])
return 1`;

/**
 * The ObjectStore in Redis: `<prefix>:obj:<key>` (the object), `<prefix>:objstatus:<key>` (its
 * status), `<prefix>:objkeys:<kind>` and `<prefix>:owned:<owner key>` (the indexes).
 */
export class RedisObjectStore implements ObjectStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  get(key: string): Promise<StoredObject | undefined>;
  get<K extends Kind>(kind: K, namespace: string, name: string): Promise<Stored<K> | undefined>;
  async get(keyOrKind: string, namespace?: string, name?: string) {
    const key = keyOf(keyOrKind, namespace, name);
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
    const { object, changed } = nextObject(existing, input);
    if (!changed) return { object, changed };
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

  /**
   * Deletes an object: a running Pod is marked terminating (graceful deletion), anything else is
   * removed with its status (its children stay until their owner's controller removes them).
   */
  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    const existing = await this.get(key);
    const terminating = existing && gracefulDeletion(existing, options, new Date());
    if (terminating) {
      if (terminating === existing) return;
      const { status: _s, ...body } = terminating;
      // Written only while the object is there: a deletion finished meanwhile stays finished.
      await this.redis.set(
        this.objKey(key),
        JSON.stringify(sealSecret(body as StoredObject)),
        'XX',
      );
      return;
    }
    const tx = this.redis
      .multi()
      .del(this.objKey(key), this.statusKey(key))
      .srem(this.kindKey(key.slice(0, key.indexOf('/'))), key);
    const owner = existing ? controllerOf(existing) : undefined;
    if (owner) tx.srem(this.ownedKey(owner), key);
    await tx.exec();
  }

  /** Every object of a kind, optionally in one namespace, sorted by key. */
  list<K extends Kind>(kind: K, namespace?: string): Promise<Stored<K>[]>;
  list(kind: string, namespace?: string): Promise<StoredObject[]>;
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
