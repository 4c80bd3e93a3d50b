import { access, rm } from 'node:fs/promises';
import { cleanupProxy } from '../network/proxy/index.js';
import { errorMessage } from '../util/berth-error.js';

/** What {@link teardownHost} removed, and what it could not. */
export interface HostTeardown {
  /** Directories that existed and were removed. */
  directories: string[];
  /** True when the Service proxy's iptables chains were cleaned up (or there were none). */
  iptables: boolean;
  /** Why the iptables cleanup failed (no iptables, no permission), when it did. */
  iptablesError?: string;
}

/**
 * Removes what the node role keeps on the host for one instance: its iptables chains and the
 * jumps into them (only chains named for this instance, via the proxy's own cleanup), and the
 * given directories (`<stateDir>/node`, the tmpfs `/dev/shm/berth/<instance>`).
 */
export async function teardownHost(
  instance: string,
  directories: readonly string[],
): Promise<HostTeardown> {
  let iptablesError: string | undefined;
  try {
    await cleanupProxy({ instance });
  } catch (err) {
    iptablesError = errorMessage(err);
  }
  const removed: string[] = [];
  for (const dir of directories) {
    const exists = await access(dir).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return {
    directories: removed,
    iptables: iptablesError === undefined,
    ...(iptablesError !== undefined ? { iptablesError } : {}),
  };
}
