import type { Stored } from '../store/index.js';
import type { ZoneService } from './dns/index.js';
import type { ProxyService, ProxyState } from './proxy/index.js';
import { isIPv4 } from './proxy/index.js';
import type { ServiceSpec } from './services/index.js';

/** How Services reach pods on this host: kube-proxy's iptables rules, or the reduced mode without them. */
export type ProxyMode = 'iptables' | 'userspace';

/** A host port that Berth itself forwards (TCP) to the ready endpoints of a Service port. */
export interface HostForward {
  /** `namespace/name:port` of the Service port: for logs. */
  service: string;
  address: string;
  port: number;
  /** Ready endpoints, `ip` and resolved target port. */
  backends: Array<{ ip: string; port: number }>;
}

/** What the host must do for the current Services: proxy rules, DNS records, forwarded ports. */
export interface HostView {
  proxy: ProxyState;
  zone: ZoneService[];
  forwards: HostForward[];
}

/**
 * Pure: Services (with the status their controller wrote) and Endpoints → the host's view.
 * `iptables`: a Service with a ClusterIP is proxied on it (NodePorts included), DNS gives the
 * ClusterIP. `userspace` (reduced): no ClusterIP traffic; DNS gives a Service name the ready
 * pods' IPs, and NodePorts are forwarded by Berth on `hostAddress`. Either way, LoadBalancer
 * ports are forwarded by Berth on their ingress address, headless names list ready pods, and a
 * Service whose controller has not allocated it yet is left out.
 */
export function hostView(
  services: readonly Stored<'Service'>[],
  endpoints: readonly Stored<'Endpoints'>[],
  options: { mode: ProxyMode; hostAddress: string },
): HostView {
  const endpointsOf = new Map(
    endpoints.map((e) => [`${e.metadata.namespace ?? ''}/${e.metadata.name}`, e.subsets ?? []]),
  );
  const view: HostView = { proxy: { services: [] }, zone: [], forwards: [] };
  for (const svc of services) {
    const namespace = svc.metadata.namespace ?? '';
    const name = svc.metadata.name;
    const spec = (svc.spec ?? {}) as ServiceSpec;
    const status = svc.status;
    const subsets = endpointsOf.get(`${namespace}/${name}`) ?? [];
    if (spec.type === 'ExternalName') {
      if (spec.externalName)
        view.zone.push({
          namespace,
          name,
          externalName: spec.externalName,
          ports: [],
          endpoints: [],
        });
      continue;
    }
    const headless = spec.clusterIP === 'None';
    const vip = status?.clusterIP;
    if (!headless && !(vip && isIPv4(vip))) continue;
    const ports = status?.ports ?? [];
    view.zone.push({
      namespace,
      name,
      ...(headless ? { clusterIP: 'None' } : options.mode === 'iptables' ? { clusterIP: vip } : {}),
      ports: ports
        .filter((p) => p.protocol !== 'SCTP')
        .map((p) => ({ name: p.name, port: p.port, protocol: p.protocol as 'TCP' | 'UDP' })),
      endpoints: subsets.flatMap((s) => [
        ...(s.addresses ?? []).map((a) => ({
          ip: a.ip,
          ready: true,
          ...(a.hostname ? { hostname: a.hostname } : {}),
        })),
        ...(s.notReadyAddresses ?? []).map((a) => ({ ip: a.ip, ready: false })),
      ]),
    });
    if (headless || !vip) continue;

    // Ready endpoints: IP → Service port name → resolved target port.
    const ready = new Map<string, Record<string, number>>();
    for (const s of subsets)
      for (const a of s.addresses ?? [])
        for (const p of s.ports)
          ready.set(a.ip, { ...(ready.get(a.ip) ?? {}), [p.name ?? '']: p.port });
    const backendsOf = (portName: string) =>
      [...ready.entries()]
        .filter(([, m]) => m[portName] !== undefined)
        .map(([ip, m]) => ({ ip, port: m[portName] as number }));
    if (options.mode === 'iptables') {
      const proxied: ProxyService = {
        namespace,
        name,
        clusterIP: vip,
        ports: ports.map((p) => ({
          name: p.name,
          port: p.port,
          protocol: p.protocol,
          ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}),
        })),
        endpoints: [...ready.entries()].map(([ip, m]) => ({ ip, ports: m })),
        ...(spec.sessionAffinity === 'ClientIP'
          ? {
              sessionAffinity: {
                type: 'ClientIP' as const,
                timeoutSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800,
              },
            }
          : {}),
      };
      view.proxy.services.push(proxied);
    }
    for (const p of ports) {
      if (p.protocol !== 'TCP') continue;
      const backends = backendsOf(p.name);
      if (options.mode === 'userspace' && p.nodePort !== undefined)
        view.forwards.push({
          service: `${namespace}/${name}:${p.port}`,
          address: options.hostAddress,
          port: p.nodePort,
          backends,
        });
      for (const ingress of status?.loadBalancer?.ingress ?? [])
        view.forwards.push({
          service: `${namespace}/${name}:${p.port}`,
          address: ingress.ip,
          port: p.port,
          backends,
        });
    }
  }
  return view;
}
