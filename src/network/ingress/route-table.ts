import type { BackendPool } from './backend-pool.js';
import { wildcardMatches } from './host-match.js';
import { type PathMatchType, pathMatches } from './path-match.js';

/** One served path of one Ingress rule. */
export interface Route {
  /** Lower-case host, `*.suffix` for a wildcard, `''` for a rule without host (every host). */
  host: string;
  path: string;
  pathType: PathMatchType;
  backend: BackendPool;
  /** `namespace/name` of the Ingress the rule comes from. */
  ingress: string;
}

/** What a request is routed to: a rule's backend, the default backend, or nothing (404). */
export type RouteMatch =
  | { kind: 'route'; route: Route; backend: BackendPool }
  | { kind: 'default'; backend: BackendPool; ingress: string }
  | { kind: 'none' };

/**
 * The merged rules of every Ingress, ready for lookups; immutable once built (the proxy swaps
 * whole tables). Lookup, Kubernetes' precedence: the rules of the exact host first, then of the
 * matching wildcard (`*.foo.com`, one label), then the rules without host; within each, the
 * longest path wins and Exact beats Prefix of the same length; the first of these tiers with a
 * matching path decides. Nothing matches: the default backend, else none (404).
 */
export class RouteTable {
  private readonly exact = new Map<string, Route[]>();
  private readonly wildcard = new Map<string, Route[]>();
  private readonly anyHost: Route[] = [];

  /**
   * `routes` in precedence order for equal paths (the builder puts older Ingresses first);
   * `defaultBackend` answers what no rule matches.
   */
  constructor(
    readonly routes: readonly Route[],
    readonly defaultBackend?: { backend: BackendPool; ingress: string },
  ) {
    for (const route of routes) {
      const tier =
        route.host === ''
          ? this.anyHost
          : getOrAdd(route.host.startsWith('*.') ? this.wildcard : this.exact, route.host);
      tier.push(route);
    }
    for (const tier of [this.anyHost, ...this.exact.values(), ...this.wildcard.values()])
      tier.sort(byPrecedence);
  }

  /** The empty table: every request gets 404. */
  static empty(): RouteTable {
    return new RouteTable([]);
  }

  /** Routes a request by its host (see `requestHost`) and raw path (no query). */
  match(host: string, path: string): RouteMatch {
    const dot = host.indexOf('.');
    const wildcard = dot > 0 ? this.wildcard.get(`*${host.slice(dot)}`) : undefined;
    const tiers = [
      this.exact.get(host),
      wildcard?.filter((r) => wildcardMatches(r.host, host)),
      this.anyHost,
    ];
    for (const tier of tiers) {
      const route = tier?.find((r) => pathMatches(r.pathType, r.path, path));
      if (route) return { kind: 'route', route, backend: route.backend };
    }
    if (this.defaultBackend) return { kind: 'default', ...this.defaultBackend };
    return { kind: 'none' };
  }
}

function getOrAdd(map: Map<string, Route[]>, key: string): Route[] {
  let list = map.get(key);
  if (!list) {
    list = [];
    map.set(key, list);
  }
  return list;
}

/** Longest path first; Exact before Prefix at the same length; otherwise the given order (stable sort). */
function byPrecedence(a: Route, b: Route): number {
  if (a.path.length !== b.path.length) return b.path.length - a.path.length;
  if (a.pathType !== b.pathType) return a.pathType === 'Exact' ? -1 : 1;
  return 0;
}
