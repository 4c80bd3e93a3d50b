import { InvalidKeyError } from './invalid-key-error.js';

/** What a sync job carries: a source (its configured name) at one revision (a full commit SHA). */
export interface SyncKey {
  source: string;
  revision: string;
}

const SOURCE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const REVISION = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The queue key of a sync: `source@revision`, e.g. `shop@3f2a...` (a 40- or 64-hex SHA).
 * Enqueuing the same pair twice gives one job. Throws InvalidKeyError on a malformed part.
 */
export function formatSyncKey(key: SyncKey): string {
  const text = `${key.source}@${key.revision}`;
  check(key, text);
  return text;
}

/** The inverse of {@link formatSyncKey}; throws InvalidKeyError on anything else. */
export function parseSyncKey(text: string): SyncKey {
  const at = text.indexOf('@');
  if (at < 0) {
    throw new InvalidKeyError(`"${text}" is not a sync key: expected source@revision`, {
      key: text,
    });
  }
  const key = { source: text.slice(0, at), revision: text.slice(at + 1) };
  check(key, text);
  return key;
}

function check(key: SyncKey, text: string): void {
  if (!SOURCE.test(key.source)) {
    throw new InvalidKeyError(`sync key "${text}": source must be a source name (DNS label)`, {
      key: text,
      field: 'source',
    });
  }
  if (!REVISION.test(key.revision)) {
    throw new InvalidKeyError(
      `sync key "${text}": revision must be a full commit SHA (40 or 64 lowercase hex digits)`,
      { key: text, field: 'revision' },
    );
  }
}
