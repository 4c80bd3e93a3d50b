/** Transport protocol of a Service port, as in Kubernetes. */
export type ProxyProtocol = 'TCP' | 'UDP' | 'SCTP';

/** One port of a Service, as the proxy needs it. */
export interface ProxyServicePort {
  /** The port's name (`''` for the single unnamed port); endpoints refer to it. */
  name: string;
  /** The port on the ClusterIP. */
  port: number;
  /** Default `TCP`. */
  protocol?: ProxyProtocol;
  /** A host port (30000–32767) that reaches the Service from the host's addresses. */
  nodePort?: number;
}

/** A READY endpoint of a Service: a pod IP and the target port of each Service port it serves. */
export interface ProxyEndpoint {
  /** The pod IP. */
  ip: string;
  /** Service port name → target port number (named target ports already resolved). */
  ports: Record<string, number>;
}

/** Session affinity of a Service: `ClientIP` pins a client address to one endpoint. */
export interface ProxySessionAffinity {
  type: 'ClientIP';
  /** How long a client stays pinned after its last new connection. Kubernetes' default is 10800. */
  timeoutSeconds: number;
}

/** A Service with a ClusterIP and its ready endpoints: the proxy's whole view of it. */
export interface ProxyService {
  namespace: string;
  name: string;
  /** The virtual IP (IPv4). */
  clusterIP: string;
  ports: ProxyServicePort[];
  /** Ready endpoints only; not-ready pods must not be listed. */
  endpoints: ProxyEndpoint[];
  /** Absent means `None`. */
  sessionAffinity?: ProxySessionAffinity;
}

/** The desired proxy state of one Berth instance: every Service it proxies. */
export interface ProxyState {
  services: ProxyService[];
}
