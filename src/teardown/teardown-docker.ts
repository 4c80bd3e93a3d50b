import type Docker from 'dockerode';
import { instanceFilter, LABELS } from '../runtime/index.js';

/** What {@link teardownDocker} removed, and the volumes it kept. */
export interface DockerTeardown {
  containers: number;
  networks: number;
  volumes: number;
  /** Volumes of the instance left in place (without `removeVolumes`). */
  volumesKept: number;
  /** Networks Docker refused to remove (still used by containers that are not Berth's). */
  networksKept: string[];
}

/**
 * Removes the Docker objects of one Berth instance: every container with Berth's `managed`
 * and `instance` labels (with its anonymous volumes), the instance's networks (labelled, and
 * the cluster network `<instance>_cluster`), and with `removeVolumes` its named volumes
 * (PersistentVolumeClaims). Nothing without the instance's labels is touched, except the
 * cluster network of that name, which Docker refuses to remove while others use it.
 */
export async function teardownDocker(
  docker: Docker,
  instance: string,
  removeVolumes: boolean,
): Promise<DockerTeardown> {
  const filters = JSON.stringify({ label: instanceFilter(instance) });
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map((c) =>
      docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreMissing),
    ),
  );
  const networks = await docker.listNetworks({ filters });
  const clusterName = `${instance}_cluster`;
  const cluster = await docker
    .getNetwork(clusterName)
    .inspect()
    .catch(() => undefined);
  const names = new Set(networks.map((n) => n.Name));
  if (cluster) names.add(cluster.Name as string);
  let removedNetworks = 0;
  const networksKept: string[] = [];
  for (const name of names) {
    try {
      await docker.getNetwork(name).remove();
      removedNetworks++;
    } catch (err) {
      const code = (err as { statusCode?: number }).statusCode;
      if (code !== 404) networksKept.push(name);
    }
  }
  const { Volumes } = await docker.listVolumes({ filters });
  const volumes = (Volumes ?? []).filter((v) => v.Labels?.[LABELS.instance] === instance);
  if (removeVolumes) {
    await Promise.all(
      volumes.map((v) => docker.getVolume(v.Name).remove({ force: true }).catch(ignoreMissing)),
    );
  }
  return {
    containers: containers.length,
    networks: removedNetworks,
    volumes: removeVolumes ? volumes.length : 0,
    volumesKept: removeVolumes ? 0 : volumes.length,
    networksKept,
  };
}

function ignoreMissing(err: { statusCode?: number }): void {
  if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
}
