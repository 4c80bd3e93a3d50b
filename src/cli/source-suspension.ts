import { formatSyncKey, WorkQueue } from '../queue/index.js';
import type { CliState } from './open-state.js';
import { knownSources, unknownSource } from './open-state.js';

/** What {@link setSuspended} did. */
export interface SuspensionChange {
  /** False when the source already was in the asked state (nothing recorded, nothing queued). */
  changed: boolean;
  /** The sync key enqueued by a resume, when the source has a target revision. */
  enqueued?: string;
}

/**
 * Suspends or resumes a source: sets `suspended` in its state, records a `Suspended` or
 * `Resumed` event on the object `Source//<name>`, and on resume enqueues the sync of its target
 * revision on the `sync` queue (so a revision that arrived while suspended is applied now).
 * Throws UnknownSource (exit 1) for a source that is neither configured nor known to Redis.
 */
export async function setSuspended(
  state: CliState,
  name: string,
  suspended: boolean,
): Promise<SuspensionChange> {
  const known = await knownSources(state);
  if (!known.includes(name)) throw unknownSource(name, known);
  const prefix = state.config.redis.keyPrefix;
  const sources = state.stores.sources;
  const current = await sources.get(name);
  const changed = (current?.suspended ?? false) !== suspended;
  if (changed) {
    await sources.update(name, { suspended });
    await state.stores.events.record({
      type: 'Normal',
      reason: suspended ? 'Suspended' : 'Resumed',
      object: { kind: 'Source', namespace: '', name },
      message: suspended
        ? `Source ${name} suspended: new revisions are validated but not applied`
        : `Source ${name} resumed`,
      source: name,
      ...(current?.target ? { revision: current.target } : {}),
    });
  }
  if (suspended || !current?.target) return { changed };
  const key = formatSyncKey({ source: name, revision: current.target });
  const queue = await WorkQueue.open({
    name: 'sync',
    redisUrl: state.config.redis.url,
    keyPrefix: prefix,
  });
  try {
    await queue.enqueue(key);
  } finally {
    await queue.close();
  }
  return { changed, enqueued: key };
}
