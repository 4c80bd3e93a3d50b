import { ProxyError } from './proxy-error.js';

/** Options of the Service proxy (rule generation and the applier). */
export interface ProxyOptions {
  /** The Berth instance: its hash is in every chain name, so instances never share chains. */
  instance: string;
  /**
   * The packet-mark bit that asks POSTROUTING to masquerade (hairpin, NodePort). Default
   * `0x4000` (kube-proxy's). Must be a single bit.
   */
  masqueradeBit?: number;
  /**
   * The pod CIDR: traffic to a ClusterIP from outside it (e.g. from the host) is masqueraded
   * too, as kube-proxy's `--cluster-cidr` does. Default: not set (only hairpin and NodePort).
   */
  clusterCIDR?: string;
  /**
   * The host addresses NodePorts answer on. Default: every local address
   * (`-m addrtype --dst-type LOCAL`).
   */
  nodePortAddresses?: string[];
  /**
   * Linux bridges (e.g. the cluster network's `br-<id>`) whose ports get hairpin mode on every
   * apply, so a pod can reach its own Service through br_netfilter. Default: none.
   */
  hairpinBridges?: string[];
  /** iptables-save binary. Default `iptables-save`. */
  iptablesSave?: string;
  /** iptables-restore binary. Default `iptables-restore`. */
  iptablesRestore?: string;
  /** Seconds to wait for the xtables lock. Default 5. */
  lockWaitSeconds?: number;
}

/** {@link ProxyOptions} with defaults applied and values checked. */
export interface CompiledProxyOptions {
  instance: string;
  masqueradeBit: number;
  clusterCIDR?: string;
  nodePortAddresses: string[];
  hairpinBridges: string[];
  iptablesSave: string;
  iptablesRestore: string;
  lockWaitSeconds: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True for a dotted-quad IPv4 address. */
export function isIPv4(value: string): boolean {
  return IPV4.test(value);
}

/** True for an IPv4 CIDR `a.b.c.d/n`. */
export function isIPv4Cidr(value: string): boolean {
  const [ip, bits, extra] = value.split('/');
  const b = Number(bits);
  return extra === undefined && isIPv4(ip ?? '') && Number.isInteger(b) && b >= 0 && b <= 32;
}

/** Applies defaults to {@link ProxyOptions}; throws `InvalidProxyState` on a bad value. */
export function compileProxyOptions(options: ProxyOptions): CompiledProxyOptions {
  const bad = (field: string, expected: string, found: unknown): never => {
    throw new ProxyError(
      'InvalidProxyState',
      `proxy option ${field}: expected ${expected}, found ${JSON.stringify(found)}`,
      {
        field,
        expected,
        found,
      },
    );
  };
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(options.instance ?? ''))
    bad('instance', 'letters, digits, ".", "_" or "-" (at most 63)', options.instance);
  const masqueradeBit = options.masqueradeBit ?? 0x4000;
  if (
    !Number.isInteger(masqueradeBit) ||
    masqueradeBit <= 0 ||
    masqueradeBit > 0x80000000 ||
    (masqueradeBit & (masqueradeBit - 1)) !== 0
  )
    bad('masqueradeBit', 'a single bit such as 0x4000', masqueradeBit);
  if (options.clusterCIDR !== undefined && !isIPv4Cidr(options.clusterCIDR))
    bad('clusterCIDR', 'an IPv4 CIDR', options.clusterCIDR);
  for (const address of options.nodePortAddresses ?? [])
    if (!isIPv4(address)) bad('nodePortAddresses', 'IPv4 addresses', address);
  const lockWaitSeconds = options.lockWaitSeconds ?? 5;
  if (!Number.isInteger(lockWaitSeconds) || lockWaitSeconds < 0)
    bad('lockWaitSeconds', 'a whole number >= 0', lockWaitSeconds);
  return {
    instance: options.instance,
    masqueradeBit,
    ...(options.clusterCIDR !== undefined ? { clusterCIDR: options.clusterCIDR } : {}),
    nodePortAddresses: [...(options.nodePortAddresses ?? [])].sort(),
    hairpinBridges: [...(options.hairpinBridges ?? [])],
    iptablesSave: options.iptablesSave ?? 'iptables-save',
    iptablesRestore: options.iptablesRestore ?? 'iptables-restore',
    lockWaitSeconds,
  };
}
