import { access, rm } from 'node:fs/promises';
import { cleanupProxy } from '../network/proxy/index.js';
import { errorMessage } from '../util/berth-error.js';

/** What {@link teardownHost} removed, and what it could not. */
export interface HostTeardown {
  /** Directories that existed and were removed. */
  directories: string[];
  /** `removed` (or there were none), `failed`, or `skipped` (the userspace proxy mode makes none). */
  iptables: 'removed' | 'failed' | 'skipped';
  /** Why the iptables cleanup failed (no iptables, no permission), when it did. */
  iptablesError?: string;
}

/**
 * Removes what the node role keeps on the host for one instance: its iptables chains and the
 * jumps into them (only chains named for this instance, via the proxy's own cleanup; skipped
 * with `iptables: false`, the userspace proxy mode, which makes none), and the
 * given directories (`<stateDir>/node`, the tmpfs `/dev/shm/berth/<instance>`).
 */
export async function teardownHost(
  instance: string,
  directories: readonly string[],
  options: { iptables: boolean },
): Promise<HostTeardown> {
  let iptablesError: string | undefined;
  if (options.iptables) {
    try {
      await cleanupProxy({ instance });
    } catch (err) {
      iptablesError = errorMessage(err);
    }
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
    iptables: !options.iptables ? 'skipped' : iptablesError === undefined ? 'removed' : 'failed',
    ...(iptablesError !== undefined ? { iptablesError } : {}),
  };
}
