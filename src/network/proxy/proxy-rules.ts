import { ChainNames } from './chain-names.js';
import { ProxyError } from './proxy-error.js';
import { type CompiledProxyOptions, isIPv4 } from './proxy-options.js';
import type { ProxyProtocol, ProxyService, ProxyState } from './proxy-state.js';

/** The chains and rules of one table, in `iptables-restore` syntax without the table header. */
export interface TableRules {
  /** Chains this instance wants in the table, sorted. */
  chains: string[];
  /** `-A chain ...` lines, in order. */
  rules: string[];
}

/** The whole rule set of one instance: `nat` for DNAT and masquerade, `filter` for rejects. */
export interface ProxyRuleSet {
  names: ChainNames;
  nat: TableRules;
  filter: TableRules;
}

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const PORT_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/;

/**
 * The kube-proxy iptables design as a pure function of the desired state: a top chain per
 * instance, a chain per Service port and per endpoint, DNAT with `-m statistic --mode random
 * --probability 1/(n-i)`, `-m recent` for ClientIP affinity, a masquerade mark for hairpin and
 * NodePort traffic, and a REJECT (filter table) for each Service port with no ready endpoint.
 * Output is deterministic (Services, ports and endpoints sorted). Throws `InvalidProxyState`
 * naming the Service and field of a bad value.
 */
export function renderProxyRules(state: ProxyState, options: CompiledProxyOptions): ProxyRuleSet {
  const names = new ChainNames(options.instance);
  const mark = `0x${options.masqueradeBit.toString(16)}`;
  const natChains = new Set([names.services, names.nodePorts, names.postrouting, names.markMasq]);
  const nat: string[] = [];
  const nodePorts: string[] = [];
  const filter: string[] = [];

  // Masquerade: MARK-MASQ sets the bit, POSTROUTING clears it and masquerades marked packets.
  nat.push(`-A ${names.markMasq} -j MARK --set-xmark ${mark}/${mark}`);
  nat.push(`-A ${names.postrouting} -m mark ! --mark ${mark}/${mark} -j RETURN`);
  nat.push(`-A ${names.postrouting} -j MARK --set-xmark 0x0/${mark}`);
  nat.push(
    `-A ${names.postrouting} -m comment --comment "berth service traffic requiring SNAT" -j MASQUERADE`,
  );

  const services = [...state.services].sort((a, b) => key(a).localeCompare(key(b)));
  const seenIPs = new Map<string, string>();
  const seenNodePorts = new Map<number, string>();
  for (const service of services) {
    validateService(service, seenIPs, seenNodePorts);
    const ports = [...service.ports].sort(
      (a, b) => a.name.localeCompare(b.name) || a.port - b.port,
    );
    for (const port of ports) {
      const protocol = port.protocol ?? 'TCP';
      const portKey = `${key(service)}:${port.name}/${protocol}`;
      const comment = `-m comment --comment "${key(service)}:${port.name}"`;
      const match = protoMatch(protocol, port.port);
      const noEndpoints = `-m comment --comment "${key(service)}:${port.name} has no endpoints"`;
      const endpoints = service.endpoints
        .filter((e) => e.ports[port.name] !== undefined)
        .map((e) => ({ ip: e.ip, targetPort: e.ports[port.name] as number }))
        .sort((a, b) => ipNumber(a.ip) - ipNumber(b.ip) || a.targetPort - b.targetPort);
      const nodePortMatch =
        port.nodePort === undefined ? undefined : protoMatch(protocol, port.nodePort);

      if (endpoints.length === 0) {
        // No ready endpoint: refuse at once instead of letting the client time out.
        filter.push(
          `-A ${names.services} -d ${service.clusterIP}/32 ${match} ${noEndpoints} -j REJECT --reject-with icmp-port-unreachable`,
        );
        if (nodePortMatch)
          for (const dst of nodePortDestinations(options))
            filter.push(
              `-A ${names.services} ${dst} ${nodePortMatch} ${noEndpoints} -j REJECT --reject-with icmp-port-unreachable`,
            );
        continue;
      }

      const svcChain = names.servicePort(portKey);
      natChains.add(svcChain);
      nat.push(
        `-A ${names.services} -d ${service.clusterIP}/32 ${match} ${comment} -j ${svcChain}`,
      );
      if (nodePortMatch) {
        nodePorts.push(`-A ${names.nodePorts} ${nodePortMatch} ${comment} -j ${names.markMasq}`);
        nodePorts.push(`-A ${names.nodePorts} ${nodePortMatch} ${comment} -j ${svcChain}`);
      }
      if (options.clusterCIDR)
        nat.push(
          `-A ${svcChain} ! -s ${options.clusterCIDR} -d ${service.clusterIP}/32 ${match} ${comment} -j ${names.markMasq}`,
        );
      const sepChains = endpoints.map((e) => names.endpoint(portKey, `${e.ip}:${e.targetPort}`));
      const affinity = service.sessionAffinity;
      if (affinity)
        endpoints.forEach((_, i) => {
          nat.push(
            `-A ${svcChain} ${comment} -m recent --name ${sepChains[i]} --mask 255.255.255.255 --rsource --rcheck --seconds ${affinity.timeoutSeconds} --reap -j ${sepChains[i]}`,
          );
        });
      const n = endpoints.length;
      const sepRules: string[] = [];
      endpoints.forEach((endpoint, i) => {
        const sep = sepChains[i] as string;
        natChains.add(sep);
        const pick =
          i < n - 1 ? ` -m statistic --mode random --probability ${(1 / (n - i)).toFixed(10)}` : '';
        nat.push(`-A ${svcChain} ${comment}${pick} -j ${sep}`);
        // Hairpin: a pod reaching its own Service is masqueraded so the reply comes back through us.
        sepRules.push(`-A ${sep} -s ${endpoint.ip}/32 ${comment} -j ${names.markMasq}`);
        const remember = affinity
          ? ` -m recent --set --name ${sep} --mask 255.255.255.255 --rsource`
          : '';
        sepRules.push(
          `-A ${sep} ${protoOnly(protocol)} ${comment}${remember} -j DNAT --to-destination ${endpoint.ip}:${endpoint.targetPort}`,
        );
      });
      nat.push(...sepRules);
    }
  }

  // NodePorts last: only packets to a local (or listed) address that matched no ClusterIP.
  for (const dst of nodePortDestinations(options))
    nat.push(
      `-A ${names.services} ${dst} -m comment --comment "berth service nodeports" -j ${names.nodePorts}`,
    );
  return {
    names,
    nat: { chains: [...natChains].sort(), rules: [...nat, ...nodePorts] },
    filter: { chains: [names.services], rules: filter },
  };
}

function key(service: ProxyService): string {
  return `${service.namespace}/${service.name}`;
}

function protoMatch(protocol: ProxyProtocol, port: number): string {
  const p = protocol.toLowerCase();
  return `-p ${p} -m ${p} --dport ${port}`;
}

function protoOnly(protocol: ProxyProtocol): string {
  const p = protocol.toLowerCase();
  return `-p ${p} -m ${p}`;
}

function nodePortDestinations(options: CompiledProxyOptions): string[] {
  return options.nodePortAddresses.length === 0
    ? ['-m addrtype --dst-type LOCAL']
    : options.nodePortAddresses.map((a) => `-d ${a}/32`);
}

function ipNumber(ip: string): number {
  return ip.split('.').reduce((n, p) => n * 256 + Number(p), 0);
}

function validateService(
  service: ProxyService,
  seenIPs: Map<string, string>,
  seenNodePorts: Map<number, string>,
): void {
  const svc = key(service);
  const bad = (field: string, expected: string, found: unknown): never => {
    throw new ProxyError(
      'InvalidProxyState',
      `Service ${svc}: ${field}: expected ${expected}, found ${JSON.stringify(found)}`,
      { service: svc, field, expected, found },
    );
  };
  if (!NAME.test(service.namespace ?? '')) bad('namespace', 'a DNS label', service.namespace);
  if (!NAME.test(service.name ?? '')) bad('name', 'a DNS name', service.name);
  if (!isIPv4(service.clusterIP ?? '')) bad('clusterIP', 'an IPv4 address', service.clusterIP);
  const owner = seenIPs.get(service.clusterIP);
  if (owner) bad('clusterIP', `an address not used by Service ${owner}`, service.clusterIP);
  seenIPs.set(service.clusterIP, svc);
  const portNames = new Set<string>();
  service.ports.forEach((port, i) => {
    const at = `ports[${i}]`;
    if (!PORT_NAME.test(port.name ?? '')) bad(`${at}.name`, 'a port name', port.name);
    if (portNames.has(port.name)) bad(`${at}.name`, 'a unique port name', port.name);
    portNames.add(port.name);
    if (!isPort(port.port)) bad(`${at}.port`, 'a port number 1-65535', port.port);
    const protocol = port.protocol ?? 'TCP';
    if (!['TCP', 'UDP', 'SCTP'].includes(protocol))
      bad(`${at}.protocol`, 'TCP, UDP or SCTP', protocol);
    if (port.nodePort !== undefined) {
      if (!isPort(port.nodePort)) bad(`${at}.nodePort`, 'a port number 1-65535', port.nodePort);
      const holder = seenNodePorts.get(port.nodePort);
      if (holder) bad(`${at}.nodePort`, `a port not used by ${holder}`, port.nodePort);
      seenNodePorts.set(port.nodePort, `${svc}:${port.name}`);
    }
  });
  const affinity = service.sessionAffinity;
  if (affinity !== undefined) {
    if (affinity.type !== 'ClientIP') bad('sessionAffinity.type', 'ClientIP', affinity.type);
    const t = affinity.timeoutSeconds;
    if (!Number.isInteger(t) || t < 1 || t > 86400)
      bad('sessionAffinity.timeoutSeconds', 'a whole number of seconds 1-86400', t);
  }
  service.endpoints.forEach((endpoint, i) => {
    if (!isIPv4(endpoint.ip ?? '')) bad(`endpoints[${i}].ip`, 'an IPv4 address', endpoint.ip);
    for (const [name, target] of Object.entries(endpoint.ports ?? {})) {
      if (!portNames.has(name)) bad(`endpoints[${i}].ports`, 'names of the Service ports', name);
      if (!isPort(target))
        bad(`endpoints[${i}].ports.${name || '""'}`, 'a port number 1-65535', target);
    }
  });
}

function isPort(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}
