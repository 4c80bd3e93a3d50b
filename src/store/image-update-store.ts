import type { Redis } from 'ioredis';

/**
 * Per source, the tags image update automation must not commit again: a tag whose update
 * commit was reverted (by Berth's rollback or by hand) stays skipped; the policy then picks the
 * newest of the others, so a newer tag moves on. One Redis hash per source, field = the
 * update's name, value = the skipped tags (JSON).
 */
export class ImageUpdateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** The skipped tags of one update. */
  async skipped(source: string, update: string): Promise<Set<string>> {
    const raw = await this.redis.hget(this.key(source), update);
    return new Set(raw ? (JSON.parse(raw) as string[]) : []);
  }

  /** Adds a tag to the skipped ones; false when it was already there. */
  async skip(source: string, update: string, tag: string): Promise<boolean> {
    const tags = await this.skipped(source, update);
    if (tags.has(tag)) return false;
    tags.add(tag);
    await this.redis.hset(this.key(source), update, JSON.stringify([...tags].sort()));
    return true;
  }

  private key(source: string): string {
    return `${this.prefix}:imageupdates:${source}:skipped`;
  }
}
