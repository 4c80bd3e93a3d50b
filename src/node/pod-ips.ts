import type Docker from 'dockerode';
import { instanceFilter, LABELS } from '../runtime/index.js';
import { ipv4ToNumber, numberToIPv4, parseCidr } from '../util/ipv4.js';
import { NODE_LABELS } from './names.js';
import { NodeError } from './node-error.js';

/** Owner of an address Berth did not assign (another container on the network, a conflict). */
const FOREIGN = '';

/**
 * Pod IPs of one node, assigned by Berth instead of Docker (network.podSandbox `whenNeeded`): a
 * pod without a sandbox container keeps its address across container restarts only if every
 * new container asks Docker for the same one. Like the CNI host-local IPAM the kubelet uses,
 * the leases live with the node, not in a shared store: each container of a pod carries its
 * address in the `io.berth.pod-ip` label, so what Docker holds is the whole truth after a Berth
 * restart, and a pod's address is free again exactly when its last container is removed. One
 * node agent runs per node (the node lease), so this process is the only one assigning.
 *
 * Addresses are handed out round-robin from after the highest one in use (a released address
 * is reused last, so a stale connection or DNS answer does not reach a new pod); the network
 * address, the gateway and the broadcast address never are. Everything already on the network
 * when the allocator first looks (pods that Docker addressed, other containers) is avoided.
 */
export class PodIPs {
  private readonly owners = new Map<number, string>();
  private readonly byUid = new Map<string, number>();
  private loaded: Promise<void> | undefined;
  private subnet = '';
  private base = 0;
  private size = 0;
  private next = 0;

  constructor(
    private readonly docker: Docker,
    private readonly instance: string,
    /** The cluster network pods join; it must exist with a configured subnet. */
    private readonly network: string,
  ) {}

  /** The address of the pod with this uid: the one it has, else a new one. */
  async ipFor(uid: string): Promise<string> {
    await this.load();
    const held = this.byUid.get(uid);
    if (held !== undefined) return numberToIPv4(held);
    for (let i = 0; i < this.size; i++) {
      const n = this.base + ((this.next + i) % this.size);
      if (this.owners.has(n)) continue;
      this.owners.set(n, uid);
      this.byUid.set(uid, n);
      this.next = (n - this.base + 1) % this.size;
      return numberToIPv4(n);
    }
    throw new NodeError(
      'PodIPRangeFull',
      `no free address left in the pod network ${this.subnet} for pod ${uid} (${this.size} host addresses, all in use); delete pods or set a wider network.podCIDR`,
      { network: this.network, subnet: this.subnet, uid },
    );
  }

  /**
   * Docker refused the pod's address as in use. If another container holds it, it is left to
   * that one and the pod gets another address at its next start; if the holder is the pod's own
   * container (one that has just exited, not yet released), the pod keeps it and tries again.
   */
  async conflict(uid: string, ip: string): Promise<void> {
    const n = ipv4ToNumber(ip);
    if (n === undefined) return;
    const network = (await this.docker
      .getNetwork(this.network)
      .inspect()
      .catch(() => undefined)) as Docker.NetworkInspectInfo | undefined;
    const holder = Object.entries(network?.Containers ?? {}).find(
      ([, e]) => endpointIP(e) === n,
    )?.[0];
    if (holder) {
      const info = await this.docker
        .getContainer(holder)
        .inspect()
        .catch(() => undefined);
      if (info?.Config.Labels?.[NODE_LABELS.uid] === uid) return;
    }
    if (this.byUid.get(uid) === n) this.byUid.delete(uid);
    this.owners.set(n, FOREIGN);
  }

  /** Frees the address of a pod whose containers are all gone. */
  release(uid: string): void {
    const n = this.byUid.get(uid);
    if (n === undefined) return;
    this.byUid.delete(uid);
    if (this.owners.get(n) === uid) this.owners.delete(n);
  }

  /** Reads the network's range and every address in use, once. */
  private load(): Promise<void> {
    this.loaded ??= this.read().catch((err) => {
      this.loaded = undefined;
      throw err;
    });
    return this.loaded;
  }

  private async read(): Promise<void> {
    const [network, containers] = await Promise.all([
      this.docker.getNetwork(this.network).inspect() as Promise<Docker.NetworkInspectInfo>,
      this.docker.listContainers({
        all: true,
        filters: JSON.stringify({
          label: [...instanceFilter(this.instance), `${LABELS.kind}=Pod`],
        }),
      }),
    ]);
    const config = network.IPAM?.Config?.find((c) => c.Subnet && !c.Subnet.includes(':'));
    if (!config?.Subnet)
      throw new NodeError(
        'PodNetworkUnaddressed',
        `the cluster network ${this.network} has no IPv4 subnet for Berth to assign pod IPs from`,
        { network: this.network },
      );
    const [start, bits] = parseCidr(config.Subnet);
    this.subnet = config.Subnet;
    this.base = start + 1;
    this.size = 2 ** (32 - bits) - 2;
    const gateway = ipv4ToNumber(config.Gateway ?? '') ?? start + 1;
    this.owners.set(gateway, FOREIGN);
    let highest = -1;
    const take = (n: number | undefined, owner: string) => {
      if (n === undefined || n < this.base || n >= this.base + this.size) return;
      if (!this.owners.has(n) || owner !== FOREIGN) this.owners.set(n, owner);
      if (owner !== FOREIGN && !this.byUid.has(owner)) this.byUid.set(owner, n);
      highest = Math.max(highest, n - this.base);
    };
    for (const endpoint of Object.values(network.Containers ?? {}))
      take(endpointIP(endpoint), FOREIGN);
    for (const c of containers) {
      const ip = c.Labels?.[NODE_LABELS.podIP];
      const uid = c.Labels?.[NODE_LABELS.uid];
      if (ip && uid) take(ipv4ToNumber(ip), uid);
    }
    this.next = (highest + 1) % this.size;
  }
}

/** The IPv4 address of a network endpoint (`10.0.0.2/16` → its number). */
function endpointIP(endpoint: { IPv4Address?: string }): number | undefined {
  return ipv4ToNumber((endpoint.IPv4Address ?? '').split('/')[0] ?? '');
}
