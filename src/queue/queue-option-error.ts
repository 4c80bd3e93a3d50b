import { BerthError } from '../util/berth-error.js';

/** A work-queue option has a value the queue cannot run with (zero concurrency, a cap below the base...). */
export class QueueOptionError extends BerthError {
  constructor(option: string, expected: string, found: unknown) {
    super(
      'InvalidQueueOption',
      `queue option ${option}: expected ${expected}, found ${JSON.stringify(found)}`,
      {
        option,
        expected,
        found,
      },
    );
  }
}
