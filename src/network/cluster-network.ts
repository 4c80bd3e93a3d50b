import type Docker from 'dockerode';
import { LABELS } from '../runtime/index.js';
import { BerthError } from '../util/berth-error.js';

/** Options of {@link ensureClusterNetwork}. */
export interface ClusterNetworkOptions {
  /** Network name, e.g. `<instance>_cluster`. */
  name: string;
  /** Berth instance: labels the network. */
  instance: string;
  /** Subnet (config network.podCIDR). Default: Docker picks one. */
  subnet?: string;
}

/**
 * Makes sure the cluster (pod) bridge network exists, labelled as Berth's, and returns its id.
 * Idempotent; an existing network of that name is reused as it is. DNS, Service addresses and
 * ingress are the network layer's (a later issue).
 */
export async function ensureClusterNetwork(
  docker: Docker,
  options: ClusterNetworkOptions,
): Promise<string> {
  const existing = await docker
    .getNetwork(options.name)
    .inspect()
    .catch(() => undefined);
  if (existing) return existing.Id as string;
  try {
    const created = await docker.createNetwork({
      Name: options.name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: {
        [LABELS.managed]: 'true',
        [LABELS.instance]: options.instance,
        [LABELS.kind]: 'ClusterNetwork',
      },
      ...(options.subnet
        ? { IPAM: { Driver: 'default', Config: [{ Subnet: options.subnet }] } }
        : {}),
    });
    return created.id;
  } catch (err) {
    // Another worker made it between our look and our create.
    const again = await docker
      .getNetwork(options.name)
      .inspect()
      .catch(() => undefined);
    if (again) return again.Id as string;
    if (/overlaps/i.test(String((err as Error).message))) {
      throw new BerthError(
        'PodNetworkOverlaps',
        `cannot create the cluster network ${options.name}: its subnet ${options.subnet ?? '(Docker-chosen)'} overlaps another Docker network or route on this host; set network.podCIDR in berth.yaml (or BERTH_POD_CIDR) to a free range`,
        { network: options.name, subnet: options.subnet },
        { cause: err },
      );
    }
    throw err;
  }
}
