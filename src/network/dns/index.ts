export {
  ClusterZone,
  type ZoneAnswer,
  type ZoneEndpoint,
  type ZonePort,
  type ZoneResult,
  type ZoneService,
} from './cluster-zone.js';
export {
  type DnsServer,
  type DnsServerOptions,
  hostResolvers,
  startDnsServer,
} from './dns-server.js';
