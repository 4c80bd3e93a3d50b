import { BerthError } from '../../util/berth-error.js';

/** Codes of {@link IngressError}. */
export type IngressErrorCode = 'InvalidIngressProxyOptions' | 'IngressListenFailed';

/**
 * The Ingress proxy could not start: a bad option (`data.field`, `expected`, `found`) or a port
 * it could not listen on (`data.address`, `data.port`, `data.reason`: the system error code).
 */
export class IngressError extends BerthError {
  constructor(
    code: IngressErrorCode,
    message: string,
    data: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(code, message, data, options);
  }
}
