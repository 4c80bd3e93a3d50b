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

/**
 * An ObjectStore in memory, with the Redis store's semantics (objects go in and come out as
 * JSON copies, indexes by kind and owner, a status only for an object that exists): what
 * controller unit tests run against, without Redis.
 */
export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, string>();
  private readonly statuses = new Map<string, string>();
  private readonly kinds = new Map<string, Set<string>>();
  private readonly owned = new Map<string, Set<string>>();

  get(key: string): Promise<StoredObject | undefined>;
  get<K extends Kind>(kind: K, namespace: string, name: string): Promise<Stored<K> | undefined>;
  async get(keyOrKind: string, namespace?: string, name?: string) {
    return this.read(keyOf(keyOrKind, namespace, name));
  }

  async getMany(keys: readonly string[]): Promise<StoredObject[]> {
    const out: StoredObject[] = [];
    for (const key of keys) {
      const object = this.read(key);
      if (object) out.push(object);
    }
    return out;
  }

  async apply(input: ObjectInput): Promise<ApplyResult> {
    const key = storeKey(input);
    const json = this.objects.get(key);
    const existing = json ? (JSON.parse(json) as StoredObject) : undefined;
    const { object, changed } = nextObject(existing, JSON.parse(JSON.stringify(input)));
    if (!changed) return { object, changed };
    this.objects.set(key, JSON.stringify(object));
    setOf(this.kinds, input.kind).add(key);
    const owner = controllerOf(object);
    if (owner) setOf(this.owned, owner).add(key);
    return { object: JSON.parse(JSON.stringify(object)), changed };
  }

  async putStatus(key: string, status: unknown): Promise<boolean> {
    if (!this.objects.has(key)) return false;
    this.statuses.set(key, JSON.stringify(status));
    return true;
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<void> {
    const existing = this.read(key);
    const terminating = existing && gracefulDeletion(existing, options, new Date());
    if (terminating) {
      if (terminating !== existing) {
        const { status: _s, ...body } = terminating;
        this.objects.set(key, JSON.stringify(body));
      }
      return;
    }
    this.objects.delete(key);
    this.statuses.delete(key);
    this.kinds.get(key.slice(0, key.indexOf('/')))?.delete(key);
    const owner = existing ? controllerOf(existing) : undefined;
    if (owner) this.owned.get(owner)?.delete(key);
  }

  list<K extends Kind>(kind: K, namespace?: string): Promise<Stored<K>[]>;
  list(kind: string, namespace?: string): Promise<StoredObject[]>;
  async list(kind: string, namespace?: string): Promise<StoredObject[]> {
    let keys = [...(this.kinds.get(kind) ?? [])];
    if (namespace !== undefined) keys = keys.filter((k) => k.startsWith(`${kind}/${namespace}/`));
    return this.getMany(keys.sort());
  }

  async keys(kind: string): Promise<string[]> {
    return [...(this.kinds.get(kind) ?? [])];
  }

  async children(ownerKey: string): Promise<StoredObject[]> {
    const keys = [...(this.owned.get(ownerKey) ?? [])].sort();
    const found = await this.getMany(keys);
    for (const key of keys) if (!this.objects.has(key)) this.owned.get(ownerKey)?.delete(key);
    return found;
  }

  async clear(kinds: readonly string[]): Promise<void> {
    for (const kind of kinds) {
      for (const key of this.kinds.get(kind) ?? []) {
        this.objects.delete(key);
        this.statuses.delete(key);
        this.owned.delete(key);
      }
      this.kinds.delete(kind);
    }
  }

  private read(key: string): StoredObject | undefined {
    const body = this.objects.get(key);
    if (!body) return undefined;
    const object = JSON.parse(body) as StoredObject;
    const status = this.statuses.get(key);
    if (status) object.status = JSON.parse(status);
    return object;
  }
}

function setOf(map: Map<string, Set<string>>, key: string): Set<string> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}
