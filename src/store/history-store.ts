import type { Redis } from 'ioredis';
import { type Fence, fencedExec } from '../lease/index.js';

/** How a revision reached Berth: as the issue and `berth history` name it. */
export type HistoryTrigger =
  | 'start'
  | 'watch'
  | 'poll'
  | 'webhook'
  | 'manual'
  | 'retry'
  | 'rollback';

/** One revision a source saw, as recorded when Berth handled it. */
export interface HistoryEntry {
  /** Commit SHA. */
  revision: string;
  subject: string;
  author: string;
  committedAt: string;
  /** When Berth handled it, ISO 8601. */
  seenAt: string;
  trigger: HistoryTrigger;
  /** `Valid` (would be, or was, applied) or `Invalid` (rejected; the last good stayed). */
  result: 'Valid' | 'Invalid';
  /** Errors of an invalid revision. */
  errors: number;
  /** The commits this one reverts (a revert commit's `This reverts commit <sha>.` lines). */
  reverts: string[];
}

/** How a revision's rollout ended: set when it settles, Healthy or Degraded. */
export interface RolloutHealth {
  status: 'Healthy' | 'Degraded';
  reason?: string;
  /** The objects at fault and why, for a Degraded rollout. */
  message?: string;
  /** When the rollout settled, ISO 8601. */
  at: string;
}

/** An entry as read back, with the revert that undid it, when one is in the history. */
export interface HistoryRecord extends HistoryEntry {
  revertedBy?: string;
  /** How its rollout ended, once it did. */
  health?: RolloutHealth;
  /** Notes added later (`image update skipped: web 1.2.0 was rolled back`), oldest first. */
  notes?: string[];
}

const PLAN_TTL_SECONDS = 7 * 86_400;

/**
 * The revisions each source handled, newest first, in a capped Redis list (default 100): what
 * `berth history` shows, with the links between a bad revision and its revert.
 */
export class HistoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly max = 100,
  ) {}

  /**
   * Adds a revision at the head of the list, unless it is already the newest entry (a restart,
   * or a new leader taking over, sees the branch head again: that is not a new revision). With
   * a `fence`, the write is made only while its lease holds (LeaseLost otherwise).
   */
  async record(source: string, entry: HistoryEntry, fence?: Fence): Promise<void> {
    const key = this.key(source);
    const head = await this.redis.lindex(key, 0);
    if (head && (JSON.parse(head) as HistoryEntry).revision === entry.revision) return;
    if (fence) {
      await fencedExec(this.redis, fence, [
        ['LPUSH', key, JSON.stringify(entry)],
        ['LTRIM', key, 0, this.max - 1],
      ]);
      return;
    }
    await this.redis
      .multi()
      .lpush(key, JSON.stringify(entry))
      .ltrim(key, 0, this.max - 1)
      .exec();
  }

  /** Records how the rollout of `revision` ended (kept for the revisions in the list). */
  async setHealth(source: string, revision: string, health: RolloutHealth): Promise<void> {
    const key = `${this.key(source)}:health`;
    await this.redis.multi().hset(key, revision, JSON.stringify(health)).exec();
  }

  /** Newest first; each entry knows the revert that undid it, if that revert is recorded too, and its rollout's health. */
  async list(source: string, limit = this.max): Promise<HistoryRecord[]> {
    const entries = (await this.redis.lrange(this.key(source), 0, limit - 1)).map(
      (j) => JSON.parse(j) as HistoryEntry,
    );
    const shas = [...new Set(entries.map((e) => e.revision))];
    const healths = new Map<string, RolloutHealth>();
    if (shas.length > 0) {
      const values = await this.redis.hmget(`${this.key(source)}:health`, ...shas);
      shas.forEach((sha, i) => {
        const v = values[i];
        if (v) healths.set(sha, JSON.parse(v) as RolloutHealth);
      });
    }
    const notes = new Map<string, string[]>();
    if (shas.length > 0) {
      const values = await this.redis.hmget(`${this.key(source)}:notes`, ...shas);
      shas.forEach((sha, i) => {
        const v = values[i];
        if (v) notes.set(sha, JSON.parse(v) as string[]);
      });
    }
    const revertedBy = new Map<string, string>();
    for (const e of entries)
      for (const sha of e.reverts) if (!revertedBy.has(sha)) revertedBy.set(sha, e.revision);
    return entries.map((e) => {
      const by = revertedBy.get(e.revision);
      const health = healths.get(e.revision);
      const note = notes.get(e.revision);
      return {
        ...e,
        ...(by ? { revertedBy: by } : {}),
        ...(health ? { health } : {}),
        ...(note ? { notes: note } : {}),
      };
    });
  }

  /** Adds a note to a revision (shown by `berth history`); the same note is kept once. */
  async addNote(source: string, revision: string, note: string): Promise<void> {
    const key = `${this.key(source)}:notes`;
    const raw = await this.redis.hget(key, revision);
    const notes = raw ? (JSON.parse(raw) as string[]) : [];
    if (notes.includes(note)) return;
    await this.redis.hset(key, revision, JSON.stringify([...notes, note]));
  }

  /** Keeps the plan Berth printed for a revision when it saw it (`berth plan`'s text), for 7 days. */
  async setPlan(source: string, revision: string, text: string): Promise<void> {
    await this.redis.set(`${this.key(source)}:plan:${revision}`, text, 'EX', PLAN_TTL_SECONDS);
  }

  /** The plan kept for a revision, or undefined. */
  async plan(source: string, revision: string): Promise<string | undefined> {
    return (await this.redis.get(`${this.key(source)}:plan:${revision}`)) ?? undefined;
  }

  private key(source: string): string {
    return `${this.prefix}:history:${source}`;
  }
}

/** The commits a message says it reverts (`This reverts commit <sha>.`, as git and Berth write it). */
export function revertedCommits(message: string): string[] {
  return [...message.matchAll(/^This reverts commit ([0-9a-f]{40})\.$/gm)].map(
    (m) => m[1] as string,
  );
}
