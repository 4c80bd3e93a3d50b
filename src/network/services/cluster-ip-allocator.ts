import type { Redis } from 'ioredis';
import { parseCidr, numberToIPv4 as toDotted, ipv4ToNumber as toNumber } from '../../util/ipv4.js';
import { ClusterIPError } from './cluster-ip-error.js';

// One script, so two Berth processes never hand out the same address: returns the address
// owned by the Service (KEYS[1] hash ip -> service), claiming ARGV[2] if given, else the first
// free one from ARGV[3] (offset) scanning ARGV[4] addresses of the range starting at ARGV[5].
const ALLOCATE = `
local owners, service, wanted = KEYS[1], ARGV[1], ARGV[2]
local byService = KEYS[2]
local current = redis.call('HGET', byService, service)
if wanted ~= '' then
  local owner = redis.call('HGET', owners, wanted)
  if owner and owner ~= service then return {'taken', owner} end
  if current and current ~= wanted then redis.call('HDEL', owners, current) end
  redis.call('HSET', owners, wanted, service)
  redis.call('HSET', byService, service, wanted)
  return {'ok', wanted}
end
if current then return {'ok', current} end
local size, base = tonumber(ARGV[3]), tonumber(ARGV[4])
local start = tonumber(redis.call('HGET', byService, '@next') or '0')
for i = 0, size - 1 do
  local n = (start + i) % size
  local ip = tostring(base + n)
  if not redis.call('HGET', owners, ip) then
    redis.call('HSET', owners, ip, service)
    redis.call('HSET', byService, service, ip)
    redis.call('HSET', byService, '@next', (n + 1) % size)
    return {'ok', ip}
  end
end
return {'full', ''}
`;

/**
 * Service virtual IPs from the service CIDR, kept in Redis so they survive Berth restarts: a
 * Service keeps its address for as long as it exists; `spec.clusterIP` claims a given address
 * (refused when another Service holds it); released addresses are reused last (allocation
 * walks the range round-robin). The network address, the first host (Kubernetes reserves it for
 * the API) and the broadcast address are never handed out.
 */
export class ClusterIPAllocator {
  private readonly base: number;
  private readonly size: number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** The service CIDR, e.g. `10.96.0.0/16`. */
    readonly cidr: string,
  ) {
    const [network, bits] = parseCidr(cidr);
    this.base = network + 2;
    this.size = 2 ** (32 - bits) - 3;
    if (this.size < 1) throw new RangeError(`service CIDR ${cidr} is too small`);
  }

  /** The address of `service` (`namespace/name`): its current one, `wanted` if given, or a new one. */
  async allocate(service: string, wanted?: string): Promise<string> {
    if (wanted !== undefined) {
      const n = toNumber(wanted);
      if (n === undefined || n < this.base || n >= this.base + this.size) {
        throw new ClusterIPError(
          'ClusterIPOutOfRange',
          `spec.clusterIP ${wanted} of Service ${service} is not a usable address of the service CIDR ${this.cidr}`,
          {
            service,
            clusterIP: wanted,
          },
        );
      }
    }
    const [status, value] = (await this.redis.eval(
      ALLOCATE,
      2,
      this.ownersKey(),
      this.servicesKey(),
      service,
      wanted === undefined ? '' : String(toNumber(wanted)),
      this.size,
      this.base,
    )) as [string, string];
    if (status === 'taken') {
      throw new ClusterIPError(
        'ClusterIPTaken',
        `spec.clusterIP ${wanted} of Service ${service} is already used by Service ${value}`,
        {
          service,
          clusterIP: wanted,
          owner: value,
        },
      );
    }
    if (status === 'full') {
      throw new ClusterIPError(
        'ClusterIPRangeFull',
        `no free address left in the service CIDR ${this.cidr} for Service ${service}`,
        { service },
      );
    }
    return toDotted(Number(value));
  }

  /** Frees the address of a deleted Service. */
  async release(service: string): Promise<void> {
    const ip = await this.redis.hget(this.servicesKey(), service);
    if (ip === null) return;
    await this.redis.multi().hdel(this.ownersKey(), ip).hdel(this.servicesKey(), service).exec();
  }

  /** Every allocated address: `namespace/name` → address. */
  async all(): Promise<Map<string, string>> {
    const entries = Object.entries(await this.redis.hgetall(this.servicesKey())).filter(
      ([k]) => !k.startsWith('@'),
    );
    return new Map(entries.map(([svc, n]) => [svc, toDotted(Number(n))]));
  }

  private ownersKey(): string {
    return `${this.prefix}:cluster-ips:by-ip`;
  }

  private servicesKey(): string {
    return `${this.prefix}:cluster-ips:by-service`;
  }
}
