import { BerthError } from '../../util/berth-error.js';

/** A Service cannot get the NodePort it asks for, or the NodePort range is full. */
export class NodePortError extends BerthError {
  constructor(
    code: 'NodePortTaken' | 'NodePortOutOfRange' | 'NodePortRangeFull',
    message: string,
    data: Record<string, unknown>,
  ) {
    super(code, message, data);
  }
}
