// The fields of core/v1 Service and Endpoints that Berth reads and writes.

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

/** A port of a Service with what Berth allocated for it. */
export interface ServiceStatusPort {
  name: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  /** Allocated (or claimed) NodePort, for NodePort and LoadBalancer Services. */
  nodePort?: number;
}

/**
 * `status` of a Service as Berth writes it. Kubernetes shows the allocated ClusterIP and
 * NodePorts in `spec`; Berth keeps them here, so the object from Git stays as written.
 */
export interface ServiceStatus {
  observedGeneration: number;
  /** The virtual IP, `None` for a headless Service; absent for ExternalName. */
  clusterIP?: string;
  clusterIPs?: string[];
  ports: ServiceStatusPort[];
  /** LoadBalancer Services: the host address their ports are published on. */
  loadBalancer: {
    ingress?: Array<{ ip: string; ports: Array<{ port: number; protocol: string }> }>;
  };
  conditions: Array<{
    type: string;
    status: 'True' | 'False';
    reason: string;
    message: string;
    lastTransitionTime: string;
  }>;
}

/** An address of an Endpoints subset. */
export interface EndpointAddress {
  ip: string;
  /** The pod's `spec.hostname` when its `spec.subdomain` is the Service's name. */
  hostname?: string;
  targetRef: { kind: 'Pod'; name: string; namespace: string; uid: string };
}

/** A port of an Endpoints subset: the Service port's name and the resolved target port. */
export interface EndpointPort {
  name?: string;
  port: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** A group of addresses that serve the same ports. */
export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports: EndpointPort[];
}
