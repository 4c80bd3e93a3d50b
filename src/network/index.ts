export { type ClusterNetworkOptions, ensureClusterNetwork } from './cluster-network.js';
