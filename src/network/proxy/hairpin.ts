import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProxyError } from './proxy-error.js';

const SYS_NET = '/sys/class/net';
const BRIDGE_NAME = /^[A-Za-z0-9_.-]{1,15}$/;

/**
 * Turns on hairpin mode on every port of a Linux bridge (kubelet's `hairpin-veth`): with
 * br_netfilter, a packet a pod sends to its own Service is DNATed back to the port it came
 * from, and the bridge drops it unless that port may reflect frames. Touches only the given
 * bridge's ports; returns how many ports it changed. Throws `HairpinFailed` when the bridge
 * does not exist or its ports cannot be written.
 */
export async function enableHairpin(bridge: string, sysNet = SYS_NET): Promise<number> {
  if (!BRIDGE_NAME.test(bridge))
    throw new ProxyError('HairpinFailed', `"${bridge}" is not a network interface name`, {
      bridge,
    });
  let ports: string[];
  try {
    ports = await readdir(join(sysNet, bridge, 'brif'));
  } catch (err) {
    throw new ProxyError(
      'HairpinFailed',
      `${bridge} is not a bridge on this host: ${(err as Error).message}`,
      { bridge },
    );
  }
  let changed = 0;
  for (const port of ports.sort()) {
    const file = join(sysNet, bridge, 'brif', port, 'hairpin_mode');
    try {
      if ((await readFile(file, 'utf8')).trim() === '1') continue;
      await writeFile(file, '1');
      changed += 1;
    } catch (err) {
      // A port that went away between readdir and write belongs to a pod that stopped.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new ProxyError(
        'HairpinFailed',
        `cannot set hairpin mode on ${bridge} port ${port}: ${(err as Error).message}`,
        {
          bridge,
          port,
        },
      );
    }
  }
  return changed;
}
