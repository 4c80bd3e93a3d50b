import type Docker from 'dockerode';
import { LABELS } from '../runtime/index.js';
import { containerName, NODE_LABELS, podLabels, podNamespace, SANDBOX, specHash } from './names.js';
import type { CompiledNodeOptions } from './node-options.js';
import type { Pod } from './pod-spec.js';

/** Where a pod's containers run: in its sandbox's namespaces, or alone. */
export interface PodSandbox {
  /** The sandbox container; undefined for a pod without one. */
  id: string | undefined;
  /** The pod's IP on the cluster network; undefined with hostNetwork. */
  ip: string | undefined;
  /** A pod without a sandbox: its one container holds the pod-level settings itself. */
  alone?: { ip: string; startTime: string };
}

/**
 * Whether a new pod may run without a sandbox (network.podSandbox `whenNeeded`): one container,
 * no init containers, no shared process namespace and not on the host's network. Nothing else
 * would join a sandbox's namespaces, so the container can hold them itself.
 */
export function needsNoSandbox(pod: Pod): boolean {
  const s = pod.spec;
  return (
    s.containers.length === 1 &&
    (s.initContainers?.length ?? 0) === 0 &&
    !s.shareProcessNamespace &&
    !s.hostNetwork
  );
}

/**
 * Labels of the container of a pod without a sandbox: what the sandbox's would carry (the pod,
 * its address, its sandbox spec-hash) and the pod's start time.
 */
export function aloneLabels(pod: Pod, alone: { ip: string; startTime: string }) {
  return {
    [NODE_LABELS.podSpec]: JSON.stringify({ metadata: pod.metadata, spec: pod.spec }),
    [NODE_LABELS.podIP]: alone.ip,
    [NODE_LABELS.sandboxHash]: sandboxSpecHash(pod),
    [NODE_LABELS.podStartTime]: alone.startTime,
  };
}

/** The pod-level fields whose change recreates the sandbox (and so every container). */
export function sandboxSpecHash(pod: Pod): string {
  const s = pod.spec;
  return specHash({
    hostname: s.hostname,
    subdomain: s.subdomain,
    hostAliases: s.hostAliases,
    hostNetwork: s.hostNetwork,
    hostPID: s.hostPID,
    hostIPC: s.hostIPC,
    shareProcessNamespace: s.shareProcessNamespace,
    dnsPolicy: s.dnsPolicy,
    dnsConfig: s.dnsConfig,
    ports: [...(s.initContainers ?? []), ...s.containers]
      .flatMap((c) => c.ports ?? [])
      .filter((p) => p.hostPort),
  });
}

/**
 * The pod-level part of Docker create options, held by the sandbox (or by the one container of a
 * pod without a sandbox): the network namespace (cluster network at `ip` when Berth assigns it,
 * or the host's with hostNetwork), hostname (`hostname` or the pod name, `subdomain` → domain
 * `<subdomain>.<ns>.svc.<clusterDomain>`), DNS by dnsPolicy and dnsConfig, hostAliases as extra
 * hosts, every container's hostPort published.
 */
export function podNetworkOptions(
  pod: Pod,
  opts: CompiledNodeOptions,
  ip: string | undefined,
): Docker.ContainerCreateOptions & { HostConfig: Docker.HostConfig } {
  const s = pod.spec;
  const ns = podNamespace(pod);
  const domain = opts.clusterDomain;
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const c of [...(s.initContainers ?? []), ...s.containers]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      const key = `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`;
      exposed[key] = {};
      bindings[key] = [
        ...(bindings[key] ?? []),
        { HostIp: p.hostIP ?? '', HostPort: String(p.hostPort) },
      ];
    }
  }
  const policy = s.dnsPolicy ?? 'ClusterFirst';
  const dns = [
    ...(policy === 'ClusterFirst' && !s.hostNetwork ? opts.clusterDns : []),
    ...(s.dnsConfig?.nameservers ?? []),
  ];
  const search = [
    ...(policy === 'ClusterFirst' ? [`${ns}.svc.${domain}`, `svc.${domain}`, domain] : []),
    ...(s.dnsConfig?.searches ?? []),
  ];
  // ClusterFirst pods get the kubelet's `ndots:5` (so `web` and `web.other` try the search
  // domains first); a dnsConfig option of the same name replaces it.
  const configured = s.dnsConfig?.options ?? [];
  const dnsOptions = [
    ...(policy === 'ClusterFirst' && !configured.some((o) => o.name === 'ndots')
      ? [{ name: 'ndots', value: '5' }]
      : []),
    ...configured,
  ].map((o) => (o.value !== undefined ? `${o.name}:${o.value}` : o.name));
  const addressed = ip !== undefined && !s.hostNetwork;
  return {
    ...(s.hostNetwork ? {} : { Hostname: s.hostname ?? pod.metadata.name.slice(0, 63) }),
    ...(s.subdomain && !s.hostNetwork ? { Domainname: `${s.subdomain}.${ns}.svc.${domain}` } : {}),
    ExposedPorts: exposed,
    ...(addressed
      ? {
          NetworkingConfig: {
            EndpointsConfig: { [opts.network]: { IPAMConfig: { IPv4Address: ip } } },
          },
        }
      : {}),
    HostConfig: {
      NetworkMode: s.hostNetwork ? 'host' : opts.network,
      ...(s.hostPID ? { PidMode: 'host' } : {}),
      PortBindings: bindings,
      ExtraHosts: (s.hostAliases ?? []).flatMap((a) =>
        (a.hostnames ?? []).map((h) => `${h}:${a.ip}`),
      ),
      ...(dns.length > 0 ? { Dns: dns } : {}),
      ...(search.length > 0 && policy !== 'Default' ? { DnsSearch: search } : {}),
      ...(dnsOptions.length > 0 ? { DnsOptions: dnsOptions } : {}),
    },
  };
}

/**
 * Docker create options of a pod's sandbox (infra) container: the pod-level options
 * ({@link podNetworkOptions}) and a shareable IPC namespace. Its labels carry the whole pod
 * (listPods rebuilds pods from them) and its address when Berth assigned it.
 */
export function sandboxCreateOptions(
  pod: Pod,
  opts: CompiledNodeOptions,
  ip?: string,
): Docker.ContainerCreateOptions {
  const net = podNetworkOptions(pod, opts, ip);
  return {
    name: containerName(opts.instance, pod, SANDBOX),
    Image: opts.infraImage,
    ...net,
    Labels: {
      ...podLabels(opts.instance, pod),
      [LABELS.container]: SANDBOX,
      [LABELS.specHash]: sandboxSpecHash(pod),
      [NODE_LABELS.role]: 'sandbox',
      [NODE_LABELS.podSpec]: JSON.stringify({ metadata: pod.metadata, spec: pod.spec }),
      ...(ip !== undefined && !pod.spec.hostNetwork ? { [NODE_LABELS.podIP]: ip } : {}),
    },
    HostConfig: {
      ...net.HostConfig,
      IpcMode: pod.spec.hostIPC ? 'host' : 'shareable',
      RestartPolicy: { Name: 'no' },
    },
  };
}
