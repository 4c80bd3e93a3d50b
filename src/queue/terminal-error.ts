import { BerthError } from '../util/berth-error.js';

/**
 * Thrown by a reconciler when retrying cannot help (an invalid object, a reference that can
 * only be fixed by a new commit): the queue records the key as failed and never retries it.
 * A later enqueue of the key (a new revision) reconciles it again.
 */
export class TerminalError extends BerthError {
  constructor(message: string, data: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super('Terminal', message, data, options);
  }
}
