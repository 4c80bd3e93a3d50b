export type {
  EndpointAddress,
  EndpointPort,
  EndpointSubset,
  ServiceStatus,
  ServiceStatusPort,
} from '../../manifests/generated/k8s-status.js';

// The fields of core/v1 Service that the proxy, DNS and allocators read. Local, not generated:
// they implement more of ServiceSpec (ExternalName, sessionAffinity, SCTP) than the manifest
// schema accepts yet (schemas/k8s/service-v1.json), so a Service from the store (the generated
// ServiceSpec, narrower) reads as this one. The status and Endpoints types are generated.

/** A port of a Service (`spec.ports[]`). */
export interface ServicePortSpec {
  name?: string;
  port: number;
  /** Default TCP. */
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** A number, or the name of a container port. Default: `port`. */
  targetPort?: number | string;
  nodePort?: number;
}

/** `spec` of a core/v1 Service. */
export interface ServiceSpec {
  /** Default ClusterIP. */
  type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  selector?: Record<string, string>;
  /** An address to claim from the service CIDR, or `None` for a headless Service. */
  clusterIP?: string;
  ports?: ServicePortSpec[];
  externalName?: string;
  /** Default None. */
  sessionAffinity?: 'None' | 'ClientIP';
  sessionAffinityConfig?: { clientIP?: { timeoutSeconds?: number } };
  /** List not-ready pods as ready addresses (StatefulSet peer discovery). Default false. */
  publishNotReadyAddresses?: boolean;
}
