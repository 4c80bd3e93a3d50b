import type Docker from 'dockerode';
import { LABELS } from '../runtime/index.js';
import { containerName, NODE_LABELS, podLabels, podNamespace, SANDBOX, specHash } from './names.js';
import type { CompiledNodeOptions } from './node-options.js';
import type { Pod } from './pod-spec.js';

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
 * Docker create options of a pod's sandbox (infra) container: it owns the network namespace
 * (cluster network, or the host's with hostNetwork), hostname (`hostname` or the pod name,
 * `subdomain` → domain `<subdomain>.<ns>.svc.<clusterDomain>`), DNS by dnsPolicy and dnsConfig,
 * hostAliases as extra hosts, every container's hostPort published, a shareable IPC namespace.
 * Its labels carry the whole pod (listPods rebuilds pods from them).
 */
export function sandboxCreateOptions(
  pod: Pod,
  opts: CompiledNodeOptions,
): Docker.ContainerCreateOptions {
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
  return {
    name: containerName(opts.instance, pod, SANDBOX),
    Image: opts.infraImage,
    ...(s.hostNetwork ? {} : { Hostname: s.hostname ?? pod.metadata.name.slice(0, 63) }),
    ...(s.subdomain && !s.hostNetwork ? { Domainname: `${s.subdomain}.${ns}.svc.${domain}` } : {}),
    ExposedPorts: exposed,
    Labels: {
      ...podLabels(opts.instance, pod),
      [LABELS.container]: SANDBOX,
      [LABELS.specHash]: sandboxSpecHash(pod),
      [NODE_LABELS.role]: 'sandbox',
      [NODE_LABELS.podSpec]: JSON.stringify({ metadata: pod.metadata, spec: pod.spec }),
    },
    HostConfig: {
      NetworkMode: s.hostNetwork ? 'host' : opts.network,
      IpcMode: s.hostIPC ? 'host' : 'shareable',
      ...(s.hostPID ? { PidMode: 'host' } : {}),
      PortBindings: bindings,
      ExtraHosts: (s.hostAliases ?? []).flatMap((a) =>
        (a.hostnames ?? []).map((h) => `${h}:${a.ip}`),
      ),
      ...(dns.length > 0 ? { Dns: dns } : {}),
      ...(search.length > 0 && policy !== 'Default' ? { DnsSearch: search } : {}),
      ...(dnsOptions.length > 0 ? { DnsOptions: dnsOptions } : {}),
      RestartPolicy: { Name: 'no' },
    },
  };
}
