export { ChainNames, hash32, MAX_CHAIN_NAME } from './chain-names.js';
export { enableHairpin } from './hairpin.js';
export { restoreTables, saveTables } from './iptables.js';
export { cleanupProxy, ProxyApplier, type ProxyApplyResult } from './proxy-applier.js';
export { ProxyError, type ProxyErrorCode } from './proxy-error.js';
export {
  type CompiledProxyOptions,
  compileProxyOptions,
  isIPv4,
  isIPv4Cidr,
  type ProxyOptions,
} from './proxy-options.js';
export { type ProxyRuleSet, renderProxyRules, type TableRules } from './proxy-rules.js';
export type {
  ProxyEndpoint,
  ProxyProtocol,
  ProxyService,
  ProxyServicePort,
  ProxySessionAffinity,
  ProxyState,
} from './proxy-state.js';
export {
  type CurrentTables,
  type ProxyTable,
  planCleanup,
  planRestore,
  wantedJumps,
} from './restore-plan.js';
