/** A port of a Service, as DNS SRV records publish it. */
export interface ZonePort {
  name?: string;
  port: number;
  protocol?: 'TCP' | 'UDP';
}

/** An address behind a Service: a pod, ready or not (only ready ones are published). */
export interface ZoneEndpoint {
  ip: string;
  ready: boolean;
  /** The pod's `hostname`, when set (StatefulSet pods): gives `<hostname>.<svc>.<ns>.svc.<domain>`. */
  hostname?: string;
}

/** A Service as DNS sees it. */
export interface ZoneService {
  namespace: string;
  name: string;
  /** The virtual IP; `None` for a headless Service (its name then lists the ready pods). */
  clusterIP?: string;
  /** For `type: ExternalName`: the name a CNAME points to. */
  externalName?: string;
  ports: ZonePort[];
  endpoints: ZoneEndpoint[];
}

/** One DNS answer, in dns-packet's shape. */
export type ZoneAnswer =
  | { type: 'A'; name: string; ttl: number; data: string }
  | { type: 'CNAME'; name: string; ttl: number; data: string }
  | {
      type: 'SRV';
      name: string;
      ttl: number;
      data: { priority: number; weight: number; port: number; target: string };
    };

/** The outcome of a lookup in the cluster zone; `null` from {@link ClusterZone.lookup} means "not ours, forward it". */
export interface ZoneResult {
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: ZoneAnswer[];
}

/**
 * The cluster's DNS records, built from Services and their endpoints as Kubernetes' DNS
 * specification lays them out: `<svc>.<ns>.svc.<domain>` gives the ClusterIP, or the ready pods'
 * IPs for a headless Service; `<hostname>.<svc>.<ns>.svc.<domain>` a pod with that hostname;
 * `_<port>._<proto>.<svc>.<ns>.svc.<domain>` SRV records of named ports; ExternalName a CNAME.
 * Immutable: build a new zone when Services or endpoints change.
 */
export class ClusterZone {
  private readonly services = new Map<string, ZoneService>();

  constructor(
    readonly domain: string,
    services: readonly ZoneService[],
    /** TTL of every answer, seconds. Short, so a changed endpoint is seen quickly. Default 5. */
    readonly ttl = 5,
  ) {
    for (const s of services) this.services.set(`${s.name}.${s.namespace}`, s);
  }

  /** Answers a question about a name in the cluster domain, or returns null for other names. */
  lookup(qname: string, qtype: string): ZoneResult | null {
    const name = qname.toLowerCase().replace(/\.$/, '');
    const suffix = `.svc.${this.domain}`;
    if (name !== this.domain && !name.endsWith(`.${this.domain}`)) return null;
    if (!name.endsWith(suffix)) return nxdomain();
    const labels = name.slice(0, -suffix.length).split('.');
    if (labels.length === 2)
      return this.serviceRecords(labels[0] as string, labels[1] as string, name, qtype);
    if (labels.length === 3)
      return this.hostRecords(
        labels[0] as string,
        labels[1] as string,
        labels[2] as string,
        name,
        qtype,
      );
    if (labels.length === 4 && labels[0]?.startsWith('_') && labels[1]?.startsWith('_')) {
      return this.srvRecords(
        labels[0].slice(1),
        labels[1].slice(1),
        labels[2] as string,
        labels[3] as string,
        name,
        qtype,
      );
    }
    return nxdomain();
  }

  private serviceRecords(svc: string, ns: string, name: string, qtype: string): ZoneResult {
    const s = this.services.get(`${svc}.${ns}`);
    if (!s) return nxdomain();
    if (s.externalName)
      return ok(
        qtype === 'A' || qtype === 'CNAME' || qtype === 'ANY'
          ? [{ type: 'CNAME', name, ttl: this.ttl, data: s.externalName }]
          : [],
      );
    if (qtype !== 'A' && qtype !== 'ANY') return ok([]);
    const ips = s.clusterIP && s.clusterIP !== 'None' ? [s.clusterIP] : readyIps(s);
    return ok(ips.map((ip) => ({ type: 'A', name, ttl: this.ttl, data: ip })));
  }

  private hostRecords(
    host: string,
    svc: string,
    ns: string,
    name: string,
    qtype: string,
  ): ZoneResult {
    const s = this.services.get(`${svc}.${ns}`);
    const endpoint = s?.endpoints.find((e) => e.ready && (e.hostname ?? dashed(e.ip)) === host);
    if (!endpoint) return nxdomain();
    return ok(
      qtype === 'A' || qtype === 'ANY'
        ? [{ type: 'A', name, ttl: this.ttl, data: endpoint.ip }]
        : [],
    );
  }

  private srvRecords(
    port: string,
    proto: string,
    svc: string,
    ns: string,
    name: string,
    qtype: string,
  ): ZoneResult {
    const s = this.services.get(`${svc}.${ns}`);
    const p = s?.ports.find(
      (x) => x.name === port && (x.protocol ?? 'TCP').toLowerCase() === proto,
    );
    if (!s || !p) return nxdomain();
    if (qtype !== 'SRV' && qtype !== 'ANY') return ok([]);
    const base = `${svc}.${ns}.svc.${this.domain}`;
    const targets =
      s.clusterIP && s.clusterIP !== 'None'
        ? [base]
        : s.endpoints.filter((e) => e.ready).map((e) => `${e.hostname ?? dashed(e.ip)}.${base}`);
    return ok(
      targets.map((target) => ({
        type: 'SRV',
        name,
        ttl: this.ttl,
        data: { priority: 0, weight: 100, port: p.port, target },
      })),
    );
  }
}

function readyIps(s: ZoneService): string[] {
  return s.endpoints.filter((e) => e.ready).map((e) => e.ip);
}

/** A pod without a hostname is named by its IP with dashes (`10-244-0-5`), as Kubernetes does. */
function dashed(ip: string): string {
  return ip.replace(/\./g, '-');
}

function ok(answers: ZoneAnswer[]): ZoneResult {
  return { rcode: 'NOERROR', answers };
}

function nxdomain(): ZoneResult {
  return { rcode: 'NXDOMAIN', answers: [] };
}
