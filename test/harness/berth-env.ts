import { randomInt } from 'node:crypto';
import path from 'node:path';
import { freePort } from './ports.js';
import { REDIS_URL } from './redis.js';

/**
 * The environment of one Berth a test runs: the test's Docker instance name, a state directory
 * under `dir`, the test Redis, a free API port and ingress port on loopback (never the defaults),
 * text logs, and pod and service networks of its own (random /24s, so that two test files
 * running at once never share a subnet or a ClusterIP) .
 */
export async function berthEnv(
  dir: string,
  instance: string,
  state = 'state',
): Promise<Record<string, string>> {
  return {
    BERTH_STATE_DIR: path.join(dir, state),
    BERTH_REDIS_URL: REDIS_URL,
    BERTH_API_LISTEN: `127.0.0.1:${await freePort()}`,
    BERTH_INSTANCE: instance,
    BERTH_LOG_FORMAT: 'text',
    BERTH_INGRESS_PORT: String(await freePort()),
    BERTH_POD_CIDR: `10.${200 + randomInt(50)}.${randomInt(256)}.0/24`,
    BERTH_SERVICE_CIDR: `10.${100 + randomInt(50)}.${randomInt(256)}.0/24`,
  };
}
