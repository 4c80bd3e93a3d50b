import { podNamespace, podUid } from './names.js';
import { NodeError } from './node-error.js';
import type { Container, ObjectFieldSelector, Pod, ResourceFieldSelector } from './pod-spec.js';
import { requireQuantity } from './quantity.js';

/** What `fieldRef` may read besides the pod itself: facts known once the sandbox runs. */
export interface PodFacts {
  podIP: string;
  hostIP: string;
  nodeName: string;
}

/**
 * Resolves a `fieldRef` the way the kubelet does: metadata.name, metadata.namespace,
 * metadata.uid, metadata.labels['k'], metadata.annotations['k'], metadata.labels and
 * metadata.annotations (downwardAPI volumes only, as `k="v"` lines), spec.nodeName,
 * spec.serviceAccountName, status.podIP, status.podIPs, status.hostIP, status.hostIPs.
 */
export function resolveFieldRef(pod: Pod, ref: ObjectFieldSelector, facts: PodFacts): string {
  const path = ref.fieldPath;
  const keyed = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(path);
  if (keyed) {
    const map = keyed[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations;
    return map?.[keyed[2] as string] ?? '';
  }
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return podNamespace(pod);
    case 'metadata.uid':
      return podUid(pod);
    case 'metadata.labels':
      return formatMap(pod.metadata.labels);
    case 'metadata.annotations':
      return formatMap(pod.metadata.annotations);
    case 'spec.nodeName':
      return facts.nodeName;
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return facts.podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return facts.hostIP;
    default:
      throw new NodeError(
        'CreateContainerConfigError',
        `fieldRef ${path} is not supported (metadata.name, metadata.namespace, metadata.uid, metadata.labels['k'], metadata.annotations['k'], spec.nodeName, spec.serviceAccountName, status.podIP, status.hostIP)`,
        { fieldPath: path },
      );
  }
}

/**
 * Resolves a `resourceFieldRef` (limits.cpu, limits.memory, requests.cpu, requests.memory)
 * divided by `divisor` (default 1) and rounded up, as Kubernetes does. An unset limit reads as
 * the host's capacity (cpu cores, memory bytes).
 */
export function resolveResourceFieldRef(
  pod: Pod,
  container: Container | undefined,
  ref: ResourceFieldSelector,
  capacity: { cpu: number; memory: number },
): string {
  const target = ref.containerName
    ? [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find(
        (c) => c.name === ref.containerName,
      )
    : container;
  const match = /^(limits|requests)\.(cpu|memory)$/.exec(ref.resource);
  if (!match || !target) {
    throw new NodeError(
      'CreateContainerConfigError',
      `resourceFieldRef ${ref.resource} of container ${ref.containerName ?? container?.name ?? '?'} cannot be resolved (limits.cpu, limits.memory, requests.cpu, requests.memory)`,
      { resource: ref.resource },
    );
  }
  const kind = match[1] as 'limits' | 'requests';
  const resource = match[2] as 'cpu' | 'memory';
  const set =
    target.resources?.[kind]?.[resource] ??
    (kind === 'requests' ? target.resources?.limits?.[resource] : undefined);
  const value =
    set !== undefined ? requireQuantity(set) : kind === 'limits' ? capacity[resource] : 0;
  const divisor = requireQuantity(ref.divisor ?? 1);
  return String(Math.ceil(value / divisor - 1e-9));
}

function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(map?.[k])}`)
    .join('\n');
}
