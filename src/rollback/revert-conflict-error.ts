import { BerthError } from '../util/berth-error.js';

/** A revert cannot be made cleanly: later commits changed the same lines. No commit was written. */
export class RevertConflictError extends BerthError {
  constructor(message: string, data: { paths: string[]; reverted: string[] }) {
    super('RevertConflict', message, data);
  }
}
