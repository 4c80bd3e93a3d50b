// Leases in Redis: who runs (the instance's processes, `berth down`'s guard), which process
// leads (the sources and git writes) and which runs the node, each with a fencing token.
export { type Fence, type FencedCommand, fencedExec } from './fence.js';
export { type InstanceLeases, readInstanceLeases } from './instance-leases.js';
export { LeaseCampaign, type LeaseCampaignOptions } from './lease-campaign.js';
export { describeHolder, type LeaseHolder, type LeaseRecord, thisProcess } from './lease-holder.js';
export { leaseKeys } from './lease-keys.js';
export { LeaseLostError } from './lease-lost-error.js';
export { RedisLease, type RedisLeaseOptions } from './redis-lease.js';
