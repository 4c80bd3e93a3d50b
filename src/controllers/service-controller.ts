import type {
  ServiceAddressing,
  ServiceSpec,
  ServiceStatus,
  ServiceStatusPort,
} from '../network/services/index.js';
import type { Result } from '../queue/index.js';
import { type Stored, storeKey } from '../store/index.js';
import { BerthError, errorMessage } from '../util/berth-error.js';
import { transitionTime } from './conditions.js';
import {
  type Controller,
  type ControllerContext,
  type ControllerDeps,
  type ObjectRequest,
  recordEvent,
} from './controller.js';
import { endpointSubsets } from './endpoint-subsets.js';
import { controllerRef, deleteChildren, inheritedAnnotations } from './owned.js';

/** How soon a Service whose address could not be allocated is looked at again. */
const ALLOCATION_RETRY_MS = 30_000;

/**
 * Service: gives it a ClusterIP from the service CIDR (or claims `spec.clusterIP`; none for
 * headless and ExternalName Services) and NodePorts (NodePort and LoadBalancer types), keeps the
 * Endpoints object of the same name (owned by the Service) over the pods its selector matches,
 * writes what it allocated into `status` (the object from Git is left as written), and asks the
 * node role to bring the host's proxy and DNS up to date (`enqueueNode`) when any of that
 * changed. A deleted Service releases its addresses and loses its Endpoints. Needs
 * `deps.services` (the allocators).
 */
export const serviceController: Controller<'Service'> = {
  kind: 'Service',
  queue: 'reconcile',
  reconcile: reconcileService,
};

async function reconcileService(
  deps: ControllerContext,
  { key, namespace, name }: ObjectRequest,
  svc: Stored<'Service'> | undefined,
): Promise<Result | undefined> {
  const addressing = deps.services;
  if (!addressing) throw new Error('the Service controller needs deps.services (the allocators)');
  const id = `${namespace}/${name}`;
  if (!svc) {
    await addressing.clusterIPs.release(id);
    await addressing.nodePorts.release(id);
    await deps.enqueueNode(key);
    return;
  }
  const spec = (svc.spec ?? {}) as ServiceSpec;
  let allocated: Pick<ServiceStatus, 'clusterIP' | 'ports'>;
  try {
    allocated = await allocate(addressing, id, spec);
  } catch (err) {
    if (!(err instanceof BerthError)) throw err;
    await writeStatus(deps, svc, {
      ports: [],
      failure: { reason: err.code, message: errorMessage(err) },
    });
    await recordEvent(deps, svc, 'Warning', err.code, errorMessage(err));
    return { requeueAfterMs: ALLOCATION_RETRY_MS };
  }

  let endpointsChanged = false;
  if (spec.type !== 'ExternalName' && Object.keys(spec.selector ?? {}).length > 0) {
    const pods = await deps.store.list('Pod', namespace);
    const { changed } = await deps.store.apply({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name,
        namespace,
        ...(svc.metadata.labels ? { labels: { ...svc.metadata.labels } } : {}),
        annotations: inheritedAnnotations(svc),
        ownerReferences: [controllerRef(svc)],
      },
      subsets: endpointSubsets(name, spec, pods),
    });
    endpointsChanged = changed;
  } else {
    // No selector: the Endpoints are the user's (from Git), not ours.
    endpointsChanged = (await deleteChildren(deps, key)) > 0;
  }
  const statusChanged = await writeStatus(deps, svc, allocated);
  if (endpointsChanged || statusChanged) await deps.enqueueNode(key);
}

async function allocate(
  addressing: ServiceAddressing,
  id: string,
  spec: ServiceSpec,
): Promise<Pick<ServiceStatus, 'clusterIP' | 'ports'>> {
  const ports: ServiceStatusPort[] = (spec.ports ?? []).map((p) => ({
    name: p.name ?? '',
    port: p.port,
    protocol: p.protocol ?? 'TCP',
  }));
  const withoutVip = spec.type === 'ExternalName' || spec.clusterIP === 'None';
  if (withoutVip) await addressing.clusterIPs.release(id);
  const clusterIP = withoutVip
    ? spec.clusterIP
    : await addressing.clusterIPs.allocate(id, spec.clusterIP || undefined);
  if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && !withoutVip) {
    const nodePorts = await addressing.nodePorts.allocate(
      id,
      (spec.ports ?? []).map((p, i) => ({
        id: portId(ports[i] as ServiceStatusPort),
        ...(p.nodePort !== undefined ? { wanted: p.nodePort } : {}),
      })),
    );
    for (const p of ports) {
      const nodePort = nodePorts.get(portId(p));
      if (nodePort !== undefined) p.nodePort = nodePort;
    }
  } else {
    await addressing.nodePorts.release(id);
  }
  return { ...(clusterIP !== undefined ? { clusterIP } : {}), ports };
}

function portId(p: ServiceStatusPort): string {
  return `${p.name}/${p.port}/${p.protocol}`;
}

/** Writes the status if it differs (a condition keeps its transition time); true when written. */
async function writeStatus(
  deps: ControllerDeps,
  svc: Stored<'Service'>,
  allocated: Pick<ServiceStatus, 'clusterIP' | 'ports'> & {
    failure?: { reason: string; message: string };
  },
): Promise<boolean> {
  const spec = (svc.spec ?? {}) as ServiceSpec;
  const previous = svc.status;
  const { failure, ...fields } = allocated;
  const condition = failure
    ? { type: 'Allocated', status: 'False' as const, ...failure }
    : {
        type: 'Allocated',
        status: 'True' as const,
        reason: 'Allocated',
        message: fields.clusterIP
          ? `ClusterIP ${fields.clusterIP}`
          : 'no ClusterIP (ExternalName Service)',
      };
  const before = previous?.conditions?.find((c) => c.type === 'Allocated');
  const lastTransitionTime = transitionTime(before, condition.status, deps.now().toISOString());
  const loadBalancer =
    spec.type === 'LoadBalancer' && !failure
      ? {
          ingress: [
            {
              ip: (deps.services as ServiceAddressing).loadBalancerAddress,
              ports: fields.ports.map((p) => ({ port: p.port, protocol: p.protocol })),
            },
          ],
        }
      : {};
  const status: ServiceStatus = {
    observedGeneration: svc.metadata.generation,
    ...(fields.clusterIP ? { clusterIP: fields.clusterIP } : {}),
    ...(fields.clusterIP ? { clusterIPs: [fields.clusterIP] } : {}),
    ports: fields.ports,
    loadBalancer,
    conditions: [{ ...condition, lastTransitionTime }],
  };
  if (JSON.stringify(status) === JSON.stringify(previous)) return false;
  return deps.store.putStatus(storeKey(svc), status);
}
