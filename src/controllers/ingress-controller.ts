import {
  buildCertificates,
  buildRouteTable,
  type CertificateSet,
  type IngressProblem,
  type IngressProxyAddresses,
  type RouteTable,
} from '../network/ingress/index.js';
import { ofKind, type StoredObject, storeKey } from '../store/index.js';
import { objectKey } from '../util/object-key.js';
import { type Controller, type ControllerDeps, nodeServices, recordEvent } from './controller.js';

/** What the Ingress controller drives: the host's running proxy (`IngressProxy`). */
export interface IngressProxyTarget {
  update(routes: RouteTable, certificates: CertificateSet): void;
  addresses(): IngressProxyAddresses;
}

/**
 * The routes of the host's Ingress proxy. Whatever key woke it (an Ingress, or a Service,
 * Endpoints or Secret an Ingress uses), {@link IngressRoutes.rebuild} rebuilds the whole route
 * table and certificate set from the store (every Ingress, Service and Endpoints, and the
 * Secrets named in `spec.tls`) and swaps them into the proxy; rebuilds are serialized, so the
 * last one to run read the newest state. Each problem of an Ingress (missing Service, port or
 * Secret, unusable TLS Secret, conflicting rule...) is recorded once as a Warning event on it,
 * again only when its problems change. Writes each Ingress's `status.loadBalancer.ingress`
 * (the proxy's address and ports).
 */
export class IngressRoutes {
  private readonly reported = new Map<string, string>();
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly proxy: IngressProxyTarget) {}

  /** Rebuilds the routes and certificates from the store (after any rebuild in progress). */
  rebuild(deps: ControllerDeps): Promise<void> {
    const run = this.last.then(() => rebuild(deps, this.proxy, this.reported));
    this.last = run.catch(() => undefined);
    return run;
  }
}

/** The node's Ingress controller: the proxy's routes follow every Ingress. */
export const ingressController: Controller = {
  kind: 'Ingress',
  queue: 'node',
  reconcile: (deps) => nodeServices(deps).ingress.rebuild(deps),
};

/** The node's Ingress routes follow Services too (their ports and endpoints). */
export const serviceIngressController: Controller = {
  kind: 'Service',
  queue: 'node',
  reconcile: (deps) => nodeServices(deps).ingress.rebuild(deps),
};

async function rebuild(
  deps: ControllerDeps,
  proxy: IngressProxyTarget,
  reported: Map<string, string>,
): Promise<void> {
  const [ingresses, services, endpoints] = await Promise.all([
    deps.store.list('Ingress'),
    deps.store.list('Service'),
    deps.store.list('Endpoints'),
  ]);
  const secretKeys = new Set<string>();
  for (const ingress of ingresses)
    for (const tls of ingress.spec?.tls ?? [])
      if (tls.secretName)
        secretKeys.add(
          objectKey('Secret', ingress.metadata.namespace ?? 'default', tls.secretName),
        );
  const secrets = ofKind(await deps.store.getMany([...secretKeys].sort()), 'Secret');

  const routes = buildRouteTable({ ingresses, services, endpoints });
  const tls = buildCertificates({ ingresses, secrets });
  proxy.update(routes.table, tls.certificates);
  deps.logger.info(
    {
      ingresses: ingresses.length,
      rules: routes.table.routes.length,
      tlsHosts: tls.certificates.hosts(),
    },
    'Ingress routes updated',
  );

  const problems = [...routes.problems, ...tls.problems];
  await reportProblems(deps, ingresses, problems, reported);
  await writeStatus(deps, ingresses, proxy.addresses());
}

/** Records each Ingress's problems as Warning events when they differ from the last reported. */
async function reportProblems(
  deps: ControllerDeps,
  ingresses: StoredObject[],
  problems: IngressProblem[],
  reported: Map<string, string>,
): Promise<void> {
  const present = new Set<string>();
  for (const ingress of ingresses) {
    const name = `${ingress.metadata.namespace ?? 'default'}/${ingress.metadata.name}`;
    present.add(name);
    const own = problems.filter((p) => p.ingress === name);
    const signature = `${ingress.metadata.generation}:${JSON.stringify(own)}`;
    if (reported.get(name) === signature) continue;
    for (const problem of own)
      await recordEvent(deps, ingress, 'Warning', problem.reason, problem.message);
    reported.set(name, signature);
  }
  for (const name of [...reported.keys()]) if (!present.has(name)) reported.delete(name);
}

/** `status.loadBalancer.ingress`: where the proxy answers, as Kubernetes reports it. */
async function writeStatus(
  deps: ControllerDeps,
  ingresses: StoredObject[],
  addresses: IngressProxyAddresses,
): Promise<void> {
  const ports = [addresses.http, ...(addresses.https ? [addresses.https] : [])].map((a) => ({
    port: a.port,
    protocol: 'TCP',
  }));
  const status = { loadBalancer: { ingress: [{ ip: addresses.http.host, ports }] } };
  for (const ingress of ingresses) {
    if (JSON.stringify(ingress.status) === JSON.stringify(status)) continue;
    await deps.store.putStatus(storeKey(ingress), status);
  }
}
