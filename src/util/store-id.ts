import { createHash } from 'node:crypto';

/** The header the API answers with: which store (Redis key prefix) the answering instance reads. */
export const STORE_ID_HEADER = 'x-berth-store';

/**
 * A short, one-way id of a Redis key prefix (16 hex of its SHA-256): the CLI uses an instance's
 * API only when it reads the same store as the CLI's configuration, without the prefix itself
 * being published.
 */
export function storeId(keyPrefix: string): string {
  return createHash('sha256').update(keyPrefix).digest('hex').slice(0, 16);
}
