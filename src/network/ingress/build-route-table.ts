import type { IngressBackend } from '../../manifests/generated/k8s-objects.js';
import type { Stored } from '../../store/index.js';
import { BackendPool } from './backend-pool.js';
import type { IngressProblem } from './ingress-problem.js';
import { objectName } from './object-name.js';
import { resolveBackend } from './resolve-backend.js';
import { type Route, RouteTable } from './route-table.js';

/** The objects a route table is built from: every Ingress, Service and Endpoints in the store. */
export interface RouteTableInput {
  ingresses: readonly Stored<'Ingress'>[];
  services: readonly Stored<'Service'>[];
  endpoints: readonly Stored<'Endpoints'>[];
}

/** A built table and what could not be served as written. */
export interface BuiltRouteTable {
  table: RouteTable;
  problems: IngressProblem[];
}

const HOST = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Pure: merges every Ingress into one {@link RouteTable} whose backends are the READY endpoints
 * of their Service ports. Ingresses are taken oldest first (`creationTimestamp`, then
 * `namespace/name`): when two rules have the same host, path and path type, or two Ingresses
 * have a default backend, the older one is served and the younger gets a `RuleConflict`
 * problem. A rule whose Service or port is missing stays in the table with no endpoint (503)
 * and a problem; a rule with an invalid host or path, or a non-Service backend, is skipped.
 */
export function buildRouteTable(input: RouteTableInput): BuiltRouteTable {
  const services = byName(input.services);
  const endpoints = byName(input.endpoints);
  const problems: IngressProblem[] = [];
  const pools = new Map<string, BackendPool>();
  const routes: Route[] = [];
  const owners = new Map<string, string>();
  let defaultBackend: { backend: BackendPool; ingress: string } | undefined;

  const pool = (ingress: Stored<'Ingress'>, backend: IngressBackend, where: string) => {
    const name = objectName(ingress);
    if (!backend.service) {
      problems.push({
        ingress: name,
        reason: 'UnsupportedBackend',
        message: `${where}: only service backends are served`,
      });
      return undefined;
    }
    const resolved = resolveBackend(
      ingress.metadata.namespace ?? 'default',
      backend.service,
      services,
      endpoints,
    );
    if (resolved.problem)
      problems.push({
        ingress: name,
        reason: resolved.problem.reason,
        message: `${where}: ${resolved.problem.message}`,
      });
    let found = pools.get(resolved.name);
    if (!found) {
      found = new BackendPool(resolved.name, resolved.addresses);
      pools.set(resolved.name, found);
    }
    return found;
  };

  for (const ingress of [...input.ingresses].sort(oldestFirst)) {
    const name = objectName(ingress);
    const spec = ingress.spec ?? {};
    if (spec.defaultBackend) {
      if (defaultBackend) {
        problems.push({
          ingress: name,
          reason: 'RuleConflict',
          message: `spec.defaultBackend: not served, Ingress ${defaultBackend.ingress} (older) has one`,
        });
      } else {
        const backend = pool(ingress, spec.defaultBackend, 'spec.defaultBackend');
        if (backend) defaultBackend = { backend, ingress: name };
      }
    }
    (spec.rules ?? []).forEach((rule, i) => {
      const host = (rule.host ?? '').toLowerCase();
      if (host !== '' && !HOST.test(host)) {
        problems.push({
          ingress: name,
          reason: 'InvalidHost',
          message: `spec.rules[${i}].host: expected a DNS name, optionally "*." first, found ${JSON.stringify(rule.host)}`,
        });
        return;
      }
      (rule.http?.paths ?? []).forEach((p, j) => {
        const where = `spec.rules[${i}].http.paths[${j}]`;
        const pathType = p.pathType === 'Exact' ? 'Exact' : 'Prefix';
        const path = p.path ?? (p.pathType === 'ImplementationSpecific' ? '/' : '');
        if (!path.startsWith('/')) {
          problems.push({
            ingress: name,
            reason: 'InvalidPath',
            message: `${where}.path: expected an absolute path, found ${JSON.stringify(p.path)}`,
          });
          return;
        }
        const id = `${host} ${pathType} ${path}`;
        const owner = owners.get(id);
        if (owner !== undefined) {
          problems.push({
            ingress: name,
            reason: 'RuleConflict',
            message: `${where}: host ${JSON.stringify(host || '*')} ${pathType} ${path} is not served, Ingress ${owner} (older) has it`,
          });
          return;
        }
        const backend = pool(ingress, p.backend ?? {}, `${where}.backend`);
        if (!backend) return;
        owners.set(id, name);
        routes.push({ host, path, pathType, backend, ingress: name });
      });
    });
  }
  return { table: new RouteTable(routes, defaultBackend), problems };
}

/** Oldest first, then by namespace/name: the order that decides conflicts. */
export function oldestFirst(
  a: { metadata: { creationTimestamp?: string; namespace?: string; name: string } },
  b: { metadata: { creationTimestamp?: string; namespace?: string; name: string } },
): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = objectName(a);
  const nb = objectName(b);
  return na < nb ? -1 : na > nb ? 1 : 0;
}

function byName<T extends { metadata: { namespace?: string; name: string } }>(
  objects: readonly T[],
): Map<string, T> {
  return new Map(objects.map((o) => [objectName(o), o]));
}
