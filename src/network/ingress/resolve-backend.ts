import type {
  IngressServiceBackend,
  ServiceBackendPort,
  ServicePort,
} from '../../manifests/generated/k8s-objects.js';
import type { Stored } from '../../store/index.js';
import type { IngressProblemReason } from './ingress-problem.js';

/** The ready endpoints of a backend, or why there is no such Service port. */
export interface ResolvedBackend {
  /** `namespace/service:port` (the port as the Ingress names it). */
  name: string;
  /** `ip:port` of every READY address, sorted; not-ready addresses are left out. */
  addresses: string[];
  problem?: { reason: IngressProblemReason; message: string };
}

/**
 * Resolves an Ingress backend to the ready endpoints of its Service port: finds the Service
 * port by number or name, then in the Service's Endpoints (same namespace/name) the port of
 * the same name (or the only port of a single-port Service) of each subset, with its ready
 * addresses. A missing Endpoints object means no ready endpoint yet (not a problem).
 */
export function resolveBackend(
  namespace: string,
  backend: IngressServiceBackend,
  services: ReadonlyMap<string, Stored<'Service'>>,
  endpoints: ReadonlyMap<string, Stored<'Endpoints'>>,
): ResolvedBackend {
  const id = `${namespace}/${backend.name}`;
  const portLabel = backend.port?.number ?? backend.port?.name ?? '?';
  const name = `${id}:${portLabel}`;
  const service = services.get(id);
  if (!service) {
    return {
      name,
      addresses: [],
      problem: { reason: 'ServiceNotFound', message: `Service ${id} not found` },
    };
  }
  const ports = service.spec?.ports ?? [];
  const port = findServicePort(ports, backend.port ?? {});
  if (!port) {
    return {
      name,
      addresses: [],
      problem: {
        reason: 'ServicePortNotFound',
        message: `Service ${id} has no port ${JSON.stringify(portLabel)} (ports: ${
          ports.map((p) => p.name || p.port).join(', ') || 'none'
        })`,
      },
    };
  }
  const addresses = new Set<string>();
  for (const subset of endpoints.get(id)?.subsets ?? []) {
    const subsetPorts = subset.ports ?? [];
    const match =
      subsetPorts.find((p) => (p.name ?? '') === (port.name ?? '')) ??
      (subsetPorts.length === 1 && ports.length === 1 ? subsetPorts[0] : undefined);
    if (!match) continue;
    for (const address of subset.addresses ?? []) addresses.add(`${address.ip}:${match.port}`);
  }
  return { name, addresses: [...addresses].sort() };
}

function findServicePort(
  ports: readonly ServicePort[],
  wanted: ServiceBackendPort,
): ServicePort | undefined {
  if (wanted.number !== undefined) return ports.find((p) => p.port === wanted.number);
  if (wanted.name !== undefined) return ports.find((p) => p.name === wanted.name);
  return undefined;
}
