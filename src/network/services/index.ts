export { ClusterIPAllocator } from './cluster-ip-allocator.js';
export { ClusterIPError } from './cluster-ip-error.js';
