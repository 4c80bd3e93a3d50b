export { ClusterIPAllocator } from './cluster-ip-allocator.js';
export { ClusterIPError } from './cluster-ip-error.js';
export { NodePortAllocator, type NodePortRequest } from './node-port-allocator.js';
export { NodePortError } from './node-port-error.js';
export { type ServiceAddressing, serviceAddressingFromConfig } from './service-addressing.js';
export type * from './service-types.js';
