export { type ClusterNetworkOptions, ensureClusterNetwork } from './cluster-network.js';
export * from './ingress/index.js';
export * from './proxy/index.js';
