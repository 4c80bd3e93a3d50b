import type { Pod, PodCondition, PodStatus } from '../node/index.js';
import { controllerOf, type ObjectStore } from '../store/index.js';
import type { Logger } from '../util/logger.js';
import { objectKey } from '../util/object-key.js';
import { transitionTime } from './conditions.js';

/** Options of {@link PodStatusWriter}. */
export interface PodStatusWriterOptions {
  store: ObjectStore;
  /** Enqueues a key for its controller: the pod's owner when its status changed. */
  enqueue(key: string): Promise<void>;
  /** Called with every pod whose status changed, after its owner is enqueued (Services that select it...). */
  onChange?(pod: Pod): Promise<void>;
  now(): Date;
  logger: Logger;
}

interface Written {
  uid: string;
  owner: string | undefined;
  json: string;
  status: PodStatus | undefined;
}

/**
 * Writes the statuses the node agent reports into the object store, as the kubelet updates the
 * API server: conditions get a `lastTransitionTime` kept while their status holds; a status
 * equal to the last one written is not written again; a changed one wakes the pod's owner. A
 * status of a pod the store no longer has, or has under another uid, is dropped.
 */
export class PodStatusWriter {
  private readonly last = new Map<string, Written>();

  constructor(private readonly options: PodStatusWriterOptions) {}

  /** Writes the status of `pod` (as the agent runs it) when it changed. */
  async write(pod: Pod, status: PodStatus): Promise<void> {
    const key = objectKey('Pod', pod.metadata.namespace ?? 'default', pod.metadata.name);
    let last = this.last.get(key);
    if (!last || last.uid !== pod.metadata.uid) {
      const stored = await this.options.store.get(
        'Pod',
        pod.metadata.namespace ?? 'default',
        pod.metadata.name,
      );
      if (!stored || stored.metadata.uid !== pod.metadata.uid) return;
      last = {
        uid: stored.metadata.uid,
        owner: controllerOf(stored),
        json: JSON.stringify(stored.status ?? null),
        status: stored.status,
      };
    }
    const stamped = stampConditions(status, last.status, this.options.now());
    const json = JSON.stringify(stamped);
    if (json === last.json) return;
    if (!(await this.options.store.putStatus(key, stamped))) {
      this.last.delete(key);
      return;
    }
    this.last.set(key, { ...last, json, status: stamped });
    if (last.owner) await this.options.enqueue(last.owner);
    // The pod as the agent runs it has the store's metadata (name, namespace, uid, labels).
    await this.options.onChange?.(pod);
  }

  /** Forgets what was written for a pod (it was deleted). */
  forget(key: string): void {
    this.last.delete(key);
  }
}

/** Conditions with `lastTransitionTime`: kept from the previous status while the condition's status holds. */
export function stampConditions(
  status: PodStatus,
  previous: PodStatus | undefined,
  now: Date,
): PodStatus {
  const at = now.toISOString();
  const conditions = status.conditions.map((c): PodCondition => {
    const before = previous?.conditions?.find((p) => p.type === c.type);
    return {
      ...c,
      lastTransitionTime: transitionTime(before, c.status, at),
    };
  });
  return { ...status, conditions };
}
