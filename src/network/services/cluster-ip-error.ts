import { BerthError } from '../../util/berth-error.js';

/** A Service cannot get the virtual IP it asks for, or the range is full. */
export class ClusterIPError extends BerthError {
  constructor(
    code: 'ClusterIPTaken' | 'ClusterIPOutOfRange' | 'ClusterIPRangeFull',
    message: string,
    data: Record<string, unknown>,
  ) {
    super(code, message, data);
  }
}
