import type { PodSpec } from '../manifests/generated/k8s-objects.js';
import type {
  EndpointAddress,
  EndpointPort,
  EndpointSubset,
  ServicePortSpec,
  ServiceSpec,
} from '../network/services/index.js';
import { isTerminating, type Stored } from '../store/index.js';
import { podReady } from './owned.js';

/** Whether a pod's labels match every entry of a (non-empty) selector. */
export function selectorMatches(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

/**
 * The Endpoints subsets of a Service over the pods of its namespace, as Kubernetes' endpoints
 * controller computes them: pods its selector matches that have an IP and are not finished
 * (nor terminating, unless publishNotReadyAddresses);
 * each Service port's targetPort resolved per pod (a number, or the pod's container port of
 * that name and protocol; a pod without it does not serve that port); ready pods in
 * `addresses`, the others in `notReadyAddresses` (all ready with publishNotReadyAddresses);
 * pods serving the same ports grouped in one subset. Pure and deterministic (sorted by IP).
 */
export function endpointSubsets(
  serviceName: string,
  spec: ServiceSpec,
  pods: readonly Stored<'Pod'>[],
): EndpointSubset[] {
  const groups = new Map<string, EndpointSubset>();
  for (const pod of pods) {
    const { spec: podSpec, status } = pod;
    if (!selectorMatches(spec.selector, pod.metadata.labels)) continue;
    if (!status?.podIP || status.phase === 'Succeeded' || status.phase === 'Failed') continue;
    // ShouldPodBeInEndpoints: a terminating pod leaves, unless not-ready addresses are published.
    if (isTerminating(pod) && !spec.publishNotReadyAddresses) continue;
    const ports = (spec.ports ?? [])
      .map((p) => resolvePort(p, podSpec))
      .filter((p): p is EndpointPort => p !== undefined);
    if (ports.length === 0) continue;
    const address: EndpointAddress = {
      ip: status.podIP,
      ...(podSpec?.hostname && podSpec.subdomain === serviceName
        ? { hostname: podSpec.hostname }
        : {}),
      targetRef: {
        kind: 'Pod',
        name: pod.metadata.name,
        namespace: pod.metadata.namespace ?? '',
        uid: pod.metadata.uid,
      },
    };
    const id = JSON.stringify(ports);
    const subset = groups.get(id) ?? { ports };
    if (podReady(pod) || spec.publishNotReadyAddresses)
      subset.addresses = [...(subset.addresses ?? []), address];
    else subset.notReadyAddresses = [...(subset.notReadyAddresses ?? []), address];
    groups.set(id, subset);
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress) => compareIp(a.ip, b.ip);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, s]) => ({
      ...(s.addresses ? { addresses: s.addresses.sort(byIp) } : {}),
      ...(s.notReadyAddresses ? { notReadyAddresses: s.notReadyAddresses.sort(byIp) } : {}),
      ports: s.ports,
    }));
}

function resolvePort(p: ServicePortSpec, podSpec: PodSpec): EndpointPort | undefined {
  const protocol = p.protocol ?? 'TCP';
  const target = p.targetPort ?? p.port;
  let port: number | undefined;
  if (typeof target === 'number') port = target;
  else if (/^\d+$/.test(target)) port = Number(target);
  else {
    port = (podSpec?.containers ?? [])
      .flatMap((c) => c.ports ?? [])
      .find((cp) => cp.name === target && (cp.protocol ?? 'TCP') === protocol)?.containerPort;
  }
  if (port === undefined) return undefined;
  return { ...(p.name ? { name: p.name } : {}), port, protocol };
}

function compareIp(a: string, b: string): number {
  const n = (ip: string) => ip.split('.').reduce((acc, x) => acc * 256 + Number(x), 0);
  return n(a) - n(b);
}
