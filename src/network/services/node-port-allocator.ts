import type { Redis } from 'ioredis';
import { NodePortError } from './node-port-error.js';

// One script per Service, so two Berth processes never hand out the same port. KEYS[1] hash
// port -> "service|portId" (every owner), KEYS[2] hash portId -> port (this Service's).
// ARGV: service, min, max, then (portId, wanted or '') pairs. Releases the Service's ports that
// are no longer asked for (or whose explicit value changed), then claims the explicit ones,
// then keeps or allocates the rest, walking the range round-robin from '@next'.
const ALLOCATE = `
local owners, mine, service = KEYS[1], KEYS[2], ARGV[1]
local min, max = tonumber(ARGV[2]), tonumber(ARGV[3])
local wanted = {}
for i = 4, #ARGV, 2 do wanted[ARGV[i]] = ARGV[i + 1] end
local current = redis.call('HGETALL', mine)
for j = 1, #current, 2 do
  local id, port = current[j], current[j + 1]
  local w = wanted[id]
  if w == nil or (w ~= '' and w ~= port) then
    redis.call('HDEL', mine, id)
    if redis.call('HGET', owners, port) == service .. '|' .. id then redis.call('HDEL', owners, port) end
  end
end
for i = 4, #ARGV, 2 do
  local id, w = ARGV[i], ARGV[i + 1]
  if w ~= '' then
    local owner = redis.call('HGET', owners, w)
    if owner and owner ~= service .. '|' .. id then return {'taken', id, w, owner} end
    redis.call('HSET', owners, w, service .. '|' .. id)
    redis.call('HSET', mine, id, w)
  end
end
local size = max - min + 1
local out = {'ok'}
for i = 4, #ARGV, 2 do
  local id = ARGV[i]
  local port = redis.call('HGET', mine, id)
  if not port then
    local start = tonumber(redis.call('HGET', owners, '@next') or '0')
    for k = 0, size - 1 do
      local n = (start + k) % size
      local candidate = tostring(min + n)
      if not redis.call('HGET', owners, candidate) then
        redis.call('HSET', owners, candidate, service .. '|' .. id)
        redis.call('HSET', mine, id, candidate)
        redis.call('HSET', owners, '@next', (n + 1) % size)
        port = candidate
        break
      end
    end
    if not port then return {'full', id} end
  end
  table.insert(out, id)
  table.insert(out, port)
end
return out
`;

/** One port of a Service that needs a NodePort: its identity and the NodePort it asks for, if any. */
export interface NodePortRequest {
  /** Stable identity within the Service, e.g. `http/TCP` (the port's name and protocol). */
  id: string;
  /** `spec.ports[].nodePort`, when the manifest gives one. */
  wanted?: number;
}

/**
 * NodePorts of Services (type NodePort and LoadBalancer) from the configured range (default
 * 30000–32767), kept in Redis so a Service keeps its ports across Berth restarts. An explicit
 * `nodePort` is claimed (refused when another Service port holds it or it is outside the range);
 * the others are allocated round-robin, so a released port is reused last.
 */
export class NodePortAllocator {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** The range, inclusive. */
    readonly range: { min: number; max: number } = { min: 30000, max: 32767 },
  ) {}

  /**
   * The NodePorts of `service` (`namespace/name`), one per request, by request id. Ports the
   * Service held for requests no longer listed are released.
   */
  async allocate(
    service: string,
    requests: readonly NodePortRequest[],
  ): Promise<Map<string, number>> {
    const { min, max } = this.range;
    for (const r of requests) {
      if (
        r.wanted !== undefined &&
        !(Number.isInteger(r.wanted) && r.wanted >= min && r.wanted <= max)
      ) {
        throw new NodePortError(
          'NodePortOutOfRange',
          `nodePort ${r.wanted} of Service ${service} (port ${r.id}) is outside the NodePort range ${min}-${max}`,
          { service, port: r.id, nodePort: r.wanted, min, max },
        );
      }
    }
    const reply = (await this.redis.eval(
      ALLOCATE,
      2,
      this.ownersKey(),
      this.serviceKey(service),
      service,
      min,
      max,
      ...requests.flatMap((r) => [r.id, r.wanted === undefined ? '' : String(r.wanted)]),
    )) as string[];
    const [status, ...rest] = reply;
    if (status === 'taken') {
      const [id, port, owner] = rest as [string, string, string];
      throw new NodePortError(
        'NodePortTaken',
        `nodePort ${port} of Service ${service} (port ${id}) is already used by Service ${owner.replace('|', ' port ')}`,
        { service, port: id, nodePort: Number(port), owner: owner.split('|')[0] },
      );
    }
    if (status === 'full') {
      throw new NodePortError(
        'NodePortRangeFull',
        `no free NodePort left in ${min}-${max} for Service ${service} (port ${rest[0]})`,
        { service, port: rest[0], min, max },
      );
    }
    const out = new Map<string, number>();
    for (let i = 0; i < rest.length; i += 2) out.set(rest[i] as string, Number(rest[i + 1]));
    return out;
  }

  /** Frees every NodePort of a deleted Service. */
  async release(service: string): Promise<void> {
    await this.allocate(service, []);
    await this.redis.del(this.serviceKey(service));
  }

  private ownersKey(): string {
    return `${this.prefix}:node-ports:by-port`;
  }

  private serviceKey(service: string): string {
    return `${this.prefix}:node-ports:service:${service}`;
  }
}
