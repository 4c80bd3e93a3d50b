import path from 'node:path';
import { freePort } from './ports.js';
import { REDIS_URL } from './redis.js';

/**
 * The environment of one Berth a test runs: the test's Docker instance name, a state directory
 * under `dir`, the test Redis, a free API port on loopback (never the default 7433) and text logs.
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
  };
}
