import type { Health } from './health-status.js';

/** The fields of a v1 Service this rule reads. */
export interface ServiceLike {
  spec?: { type?: string; selector?: Record<string, string> };
}

/** A v1 Endpoints object: the addresses behind a Service, ready and not. */
export interface EndpointsLike {
  subsets?: Array<{ addresses?: unknown[]; notReadyAddresses?: unknown[] }>;
}

/**
 * A Service with a selector is Healthy once at least one endpoint is ready, and Progressing until
 * then (its pods are starting, or none match yet). A Service without a selector (endpoints
 * managed by hand) or of type ExternalName is Healthy as it is.
 */
export function serviceHealth(svc: ServiceLike, endpoints?: EndpointsLike): Health {
  if (
    svc.spec?.type === 'ExternalName' ||
    !svc.spec?.selector ||
    Object.keys(svc.spec.selector).length === 0
  ) {
    return { status: 'Healthy', reason: 'NoSelector' };
  }
  const ready = (endpoints?.subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const notReady = (endpoints?.subsets ?? []).reduce(
    (n, s) => n + (s.notReadyAddresses?.length ?? 0),
    0,
  );
  if (ready === 0) {
    return {
      status: 'Progressing',
      reason: 'NoReadyEndpoints',
      message:
        notReady > 0 ? `none of ${notReady} endpoints is ready` : 'no pod matches the selector yet',
    };
  }
  return {
    status: 'Healthy',
    reason: 'EndpointsReady',
    message: `${ready} ready endpoint${ready === 1 ? '' : 's'}`,
  };
}
