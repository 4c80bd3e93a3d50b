export { type ClusterNetworkOptions, ensureClusterNetwork } from './cluster-network.js';
export { HostNetwork, type HostNetworkOptions, type HostNetworkSync } from './host-network.js';
export { type HostForward, type HostView, hostView, type ProxyMode } from './host-view.js';
export * from './ingress/index.js';
export { PortForwarder } from './port-forwarder.js';
export * from './proxy/index.js';
