import Docker from 'dockerode';
import { afterAll } from 'vitest';
import { cleanupProxy } from '../../src/network/proxy/index.js';
import { TEST_LABEL, uniqueId } from './run-id.js';

/** A test file's own slice of the Docker host. */
export interface TestDocker {
  docker: Docker;
  /** Unique id: use it as Berth's `instance` and in names, so objects never collide. */
  id: string;
  /** Labels to put on anything the test creates itself; Berth adds `io.berth.instance=<id>`. */
  labels: Record<string, string>;
  /** Removes every container, network and volume of this test file. Runs after its tests, pass or fail. */
  cleanup(): Promise<void>;
}

/**
 * Gives the calling test file a unique Berth instance name and removes whatever Docker objects
 * carry it (or the test label) after the file's tests, whether they passed or not.
 */
export function useDocker(): TestDocker {
  const docker = new Docker({
    socketPath: process.env.BERTH_DOCKER_SOCKET ?? '/var/run/docker.sock',
  });
  const id = uniqueId();
  const labels = { [TEST_LABEL]: id };
  const cleanup = () => removeLabelled(docker, id);
  afterAll(cleanup);
  return { docker, id, labels, cleanup };
}

/**
 * Removes containers, then networks, then volumes labelled with this test run or Berth instance,
 * and the instance's iptables chains (a `berth up` that stopped leaves its Service rules).
 */
export async function removeLabelled(docker: Docker, id: string): Promise<void> {
  await cleanupProxy({ instance: id }).catch(() => undefined);
  for (const label of [`${TEST_LABEL}=${id}`, `io.berth.instance=${id}`]) {
    const filters = JSON.stringify({ label: [label] });
    const containers = await docker.listContainers({ all: true, filters });
    await Promise.all(
      containers.map((c) =>
        docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreMissing),
      ),
    );
    const networks = await docker.listNetworks({ filters });
    await Promise.all(networks.map((n) => removeNetwork(docker, n.Id)));
    const { Volumes } = await docker.listVolumes({ filters });
    await Promise.all(
      (Volumes ?? []).map((v) =>
        docker.getVolume(v.Name).remove({ force: true }).catch(ignoreMissing),
      ),
    );
  }
}

function ignoreMissing(err: { statusCode?: number }): void {
  if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
}

/**
 * Removes a network, retrying while Docker still counts endpoints of containers just removed.
 * Docker 20.10 sometimes keeps such a stale endpoint until it restarts: after the retries the
 * network is left (it holds no container) rather than failing the test that cleans up.
 */
async function removeNetwork(docker: Docker, id: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await docker.getNetwork(id).remove();
      return;
    } catch (err) {
      const e = err as { statusCode?: number; message?: string };
      if (e.statusCode === 404) return;
      const stale = e.statusCode === 403 && /active endpoints/.test(String(e.message));
      if (!stale) throw err;
      if (attempt >= 10) return;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
