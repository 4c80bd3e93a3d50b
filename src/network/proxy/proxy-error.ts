import { BerthError } from '../../util/berth-error.js';

/** Codes of {@link ProxyError}. */
export type ProxyErrorCode =
  | 'InvalidProxyState'
  | 'IptablesSaveFailed'
  | 'IptablesRestoreFailed'
  | 'HairpinFailed';

/**
 * The Service proxy could not compute or apply its rules: an invalid desired state (a field,
 * what was expected, what was found) or iptables refusing the rule set (the failing line).
 */
export class ProxyError extends BerthError {
  constructor(code: ProxyErrorCode, message: string, data: Record<string, unknown>) {
    super(code, message, data);
  }
}
