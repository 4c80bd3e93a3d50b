import type { Redis } from 'ioredis';
import type { PlanObject } from '../plan/index.js';

/** How long a published revision's objects stay in Redis when nothing applies them. */
const TTL_SECONDS = 7 * 24 * 3600;

/**
 * The validated objects of one revision of a source, in Redis: written by the process that
 * validated the revision, read by whichever worker runs its sync (workers need no git).
 */
export class RevisionObjects {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async save(source: string, revision: string, objects: readonly PlanObject[]): Promise<void> {
    await this.redis.set(this.key(source, revision), JSON.stringify(objects), 'EX', TTL_SECONDS);
  }

  /** The objects, or undefined when the revision was never published (or expired). */
  async load(source: string, revision: string): Promise<PlanObject[] | undefined> {
    const json = await this.redis.get(this.key(source, revision));
    return json ? (JSON.parse(json) as PlanObject[]) : undefined;
  }

  private key(source: string, revision: string): string {
    return `${this.prefix}:revision:${source}:${revision}`;
  }
}
