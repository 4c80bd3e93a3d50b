import type Docker from 'dockerode';
import type { ObjectStore } from '../store/index.js';
import { coalesce } from '../util/coalesce.js';
import type { Logger } from '../util/logger.js';
import { ensureClusterNetwork } from './cluster-network.js';
import { ClusterZone, type DnsServer, startDnsServer } from './dns/index.js';
import { type HostView, hostView, type ProxyMode } from './host-view.js';
import { PortForwarder } from './port-forwarder.js';
import { ProxyApplier } from './proxy/index.js';

/** Options of {@link HostNetwork}. */
export interface HostNetworkOptions {
  docker: Docker;
  /** Berth instance: names the proxy's chains and labels the network. */
  instance: string;
  /** The cluster (pod) network. Default `<instance>_cluster`. */
  network?: string;
  /** Its subnet when Berth creates it (network.podCIDR). Default: Docker picks one. */
  podCIDR?: string;
  /** Default `cluster.local`. */
  clusterDomain?: string;
  /** `iptables` (default) or `userspace`, the reduced mode (network.proxyMode). */
  mode?: ProxyMode;
  /** Where NodePorts (besides the network's gateway) and LoadBalancers answer (network.hostAddress). Default `127.0.0.1`. */
  hostAddress?: string;
  /** DNS port on the gateway. Default 53 (Docker can only point containers at port 53). */
  dnsPort?: number;
  /** Resolvers for names outside the cluster domain. Default: the host's /etc/resolv.conf. */
  upstreams?: string[];
  /** TTL of cluster answers, seconds. Default 5. */
  dnsTtlSeconds?: number;
  logger?: Logger;
}

/** What {@link HostNetwork.sync} did. */
export interface HostNetworkSync {
  view: HostView;
  /** Service ports with iptables rules (0 in the reduced mode). */
  proxiedPorts: number;
  /** Host ports Berth forwards itself. */
  forwardedPorts: string[];
}

/**
 * The host's side of Services, run by the node role: the cluster network, the DNS server on its
 * gateway, the Service proxy (iptables rules, or nothing in the reduced mode) and the host ports
 * Berth forwards itself (LoadBalancer; NodePort in the reduced mode). `start` once, `sync` after
 * every Service or Endpoints change (it rebuilds everything from the store), `stop` on
 * shutdown (rules stay, so traffic keeps flowing across a restart), `down` to remove it all.
 */
export class HostNetwork {
  readonly mode: ProxyMode;
  readonly network: string;
  readonly clusterDomain: string;
  readonly hostAddress: string;
  private started?: { gateway: string; subnet: string; bridge: string; dns: DnsServer };
  private proxy?: ProxyApplier;
  private readonly forwarder: PortForwarder;

  constructor(private readonly options: HostNetworkOptions) {
    this.mode = options.mode ?? 'iptables';
    this.network = options.network ?? `${options.instance}_cluster`;
    this.clusterDomain = options.clusterDomain ?? 'cluster.local';
    this.hostAddress = options.hostAddress ?? '127.0.0.1';
    this.forwarder = new PortForwarder(options.logger);
  }

  /** Ensures the cluster network, starts DNS on its gateway, prepares the proxy. Idempotent. */
  async start(): Promise<void> {
    if (this.started) return;
    const { docker, instance } = this.options;
    const id = await ensureClusterNetwork(docker, {
      name: this.network,
      instance,
      ...(this.options.podCIDR ? { subnet: this.options.podCIDR } : {}),
    });
    const info = await docker.getNetwork(id).inspect();
    const ipam = (info.IPAM?.Config ?? [])[0] as { Subnet?: string; Gateway?: string } | undefined;
    if (!ipam?.Subnet) throw new Error(`cluster network ${this.network} has no IPv4 subnet`);
    // Docker leaves Gateway out of a given subnet's config: it is then the first host.
    const gateway = ipam.Gateway ?? firstHost(ipam.Subnet);
    const bridge = `br-${id.slice(0, 12)}`;
    const dns = await startDnsServer({
      host: gateway,
      port: this.options.dnsPort ?? 53,
      zone: new ClusterZone(this.clusterDomain, [], this.options.dnsTtlSeconds ?? 5),
      ...(this.options.upstreams ? { upstreams: this.options.upstreams } : {}),
      ...(this.options.logger ? { logger: this.options.logger } : {}),
    });
    this.started = { gateway, subnet: ipam.Subnet, bridge, dns };
    if (this.mode === 'iptables') {
      this.proxy = new ProxyApplier(
        {
          instance,
          clusterCIDR: ipam.Subnet,
          nodePortAddresses: [
            ...new Set([gateway, ...(isLoopback(this.hostAddress) ? [] : [this.hostAddress])]),
          ],
          hairpinBridges: [bridge],
        },
        this.options.logger,
      );
    }
  }

  /** The cluster network's gateway: where pods find DNS and the host's NodePorts. */
  get gateway(): string {
    return this.ready().gateway;
  }

  /**
   * What the node agent needs so ClusterFirst pods use this DNS: servers, domain, network (the
   * NodeOptions fields of those names; the node depends on the network, not the reverse).
   */
  nodeOptions(): { clusterDns: string[]; clusterDomain: string; network: string } {
    return { clusterDns: [this.gateway], clusterDomain: this.clusterDomain, network: this.network };
  }

  /**
   * Rebuilds proxy rules, DNS records and forwarded ports from every Service and Endpoints in the
   * store. Calls made while a rebuild runs share the one next rebuild (each gets a rebuild begun
   * after its call): a burst of Service changes, such as the first apply of a revision with a
   * thousand Services, costs a few rebuilds instead of one per Service, each reading them all.
   */
  readonly sync = coalesce((store: ObjectStore) => this.rebuild(store));

  private async rebuild(store: ObjectStore): Promise<HostNetworkSync> {
    const { dns } = this.ready();
    const [services, endpoints] = await Promise.all([
      store.list('Service'),
      store.list('Endpoints'),
    ]);
    const view = hostView(services, endpoints, { mode: this.mode, hostAddress: this.hostAddress });
    dns.setZone(new ClusterZone(this.clusterDomain, view.zone, this.options.dnsTtlSeconds ?? 5));
    const applied = this.proxy ? await this.proxy.apply(view.proxy) : undefined;
    await this.forwarder.sync(view.forwards);
    return {
      view,
      proxiedPorts: (applied?.servicePorts ?? 0) + (applied?.rejected ?? 0),
      forwardedPorts: this.forwarder.listening(),
    };
  }

  /** Stops DNS and the forwarded ports; iptables rules and the network stay. */
  async stop(): Promise<void> {
    await this.forwarder.close();
    await this.started?.dns.close();
    this.started = undefined;
  }

  /** Stops, removes the instance's iptables chains, and removes the cluster network (once no container uses it). */
  async down(): Promise<void> {
    await this.stop();
    const proxy =
      this.proxy ??
      (this.mode === 'iptables'
        ? new ProxyApplier({ instance: this.options.instance })
        : undefined);
    await proxy?.cleanup();
    await this.options.docker
      .getNetwork(this.network)
      .remove()
      .catch(() => undefined);
  }

  private ready() {
    if (!this.started) throw new Error('HostNetwork.start() has not been called');
    return this.started;
  }
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === 'localhost';
}

function firstHost(cidr: string): string {
  const [ip = '', bits = '32'] = cidr.split('/');
  const n = ip.split('.').reduce((acc, x) => acc * 256 + Number(x), 0);
  const network = n - (n % 2 ** (32 - Number(bits)));
  return [24, 16, 8, 0].map((shift) => Math.floor((network + 1) / 2 ** shift) % 256).join('.');
}
