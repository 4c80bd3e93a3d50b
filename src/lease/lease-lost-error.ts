import { BerthError } from '../util/berth-error.js';

/**
 * A write guarded by a lease was refused: this process no longer holds the lease (it expired, or
 * another process took it and its fencing token is newer). `data`: the lease `key` and the
 * `token` the write carried. Never retried by the holder: the new holder does the work.
 */
export class LeaseLostError extends BerthError {
  constructor(key: string, token: number, why: string) {
    super('LeaseLost', `lease ${key} (token ${token}) is no longer held: ${why}`, { key, token });
  }
}
