import type { Redis } from 'ioredis';
import type { BerthConfig } from '../../config/index.js';
import { ClusterIPAllocator } from './cluster-ip-allocator.js';
import { NodePortAllocator } from './node-port-allocator.js';

/** What the Service controller hands out: ClusterIPs, NodePorts, and the LoadBalancer address. */
export interface ServiceAddressing {
  clusterIPs: ClusterIPAllocator;
  nodePorts: NodePortAllocator;
  /** The host address LoadBalancer Services are published on (config network.hostAddress). */
  loadBalancerAddress: string;
}

/**
 * The allocators of a Berth configuration, in Redis under `redis.keyPrefix`: ClusterIPs from
 * network.serviceCIDR, NodePorts from network.nodePortRange, LoadBalancers on network.hostAddress.
 */
export function serviceAddressingFromConfig(config: BerthConfig, redis: Redis): ServiceAddressing {
  const prefix = config.redis.keyPrefix;
  return {
    clusterIPs: new ClusterIPAllocator(redis, prefix, config.network.serviceCIDR),
    nodePorts: new NodePortAllocator(redis, prefix, config.network.nodePortRange),
    loadBalancerAddress: config.network.hostAddress,
  };
}
