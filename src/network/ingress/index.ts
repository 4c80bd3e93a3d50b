// The Ingress reverse proxy: Ingress objects → a route table to ready endpoints → http-proxy-3.
export { type BackendEndpoint, BackendPool } from './backend-pool.js';
export { buildCertificates, type CertificatesInput } from './build-certificates.js';
export {
  type BuiltRouteTable,
  buildRouteTable,
  oldestFirst,
  type RouteTableInput,
} from './build-route-table.js';
export { CertificateSet } from './certificate-set.js';
export { requestHost, wildcardMatches } from './host-match.js';
export { IngressError, type IngressErrorCode } from './ingress-error.js';
export type { IngressProblem, IngressProblemReason } from './ingress-problem.js';
export { IngressProxy, type IngressProxyAddresses } from './ingress-proxy.js';
export {
  type CompiledIngressProxyOptions,
  compileIngressProxyOptions,
  type IngressProxyOptions,
  ingressProxyOptionsFromConfig,
} from './ingress-proxy-options.js';
export { type PathMatchType, pathMatches } from './path-match.js';
export { resolveBackend } from './resolve-backend.js';
export { type Route, type RouteMatch, RouteTable } from './route-table.js';
