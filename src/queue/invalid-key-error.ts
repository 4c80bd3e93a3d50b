import { BerthError } from '../util/berth-error.js';

/** A queue key (object key or sync key) that does not have the documented format. */
export class InvalidKeyError extends BerthError {
  constructor(message: string, data: Record<string, unknown> = {}) {
    super('InvalidKey', message, data);
  }
}
