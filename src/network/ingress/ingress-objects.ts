// The fields of the Kubernetes objects the Ingress proxy reads, as the ObjectStore holds them.

/** Object metadata the route table reads. `creationTimestamp` orders conflicting rules. */
export interface IngressMetadata {
  name: string;
  namespace?: string;
  creationTimestamp?: string;
}

/** networking.k8s.io/v1 IngressServiceBackend: a Service port by number or by name. */
export interface IngressServiceBackend {
  name: string;
  port: { number?: number; name?: string };
}

/** networking.k8s.io/v1 IngressBackend (only `service` backends; `resource` is not served). */
export interface IngressBackend {
  service?: IngressServiceBackend;
}

/** One path of a rule. `ImplementationSpecific` is served as `Prefix`. */
export interface HTTPIngressPath {
  path?: string;
  pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific';
  backend: IngressBackend;
}

/** networking.k8s.io/v1 Ingress, the fields the proxy reads. */
export interface IngressObject {
  kind: 'Ingress';
  metadata: IngressMetadata;
  spec?: {
    ingressClassName?: string;
    defaultBackend?: IngressBackend;
    rules?: { host?: string; http?: { paths: HTTPIngressPath[] } }[];
    tls?: { hosts?: string[]; secretName?: string }[];
  };
}

/** core/v1 ServicePort. */
export interface ServicePortObject {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

/** core/v1 Service, the fields the proxy reads. */
export interface ServiceObject {
  kind: 'Service';
  metadata: IngressMetadata;
  spec?: { ports?: ServicePortObject[] };
}

/** core/v1 Endpoints (one per Service, same namespace and name, written by the Service controller). */
export interface EndpointsObject {
  kind: 'Endpoints';
  metadata: IngressMetadata;
  subsets?: {
    addresses?: { ip: string }[];
    notReadyAddresses?: { ip: string }[];
    ports?: { name?: string; port: number; protocol?: string }[];
  }[];
}

/** core/v1 Secret of type `kubernetes.io/tls` (data in base64, stringData in plain text). */
export interface SecretObject {
  kind: 'Secret';
  metadata: IngressMetadata;
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** `namespace/name` of an object (namespace `default` when absent). */
export function objectName(o: { metadata: IngressMetadata }): string {
  return `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
}
