import type { SecureContext } from 'node:tls';
import { requestHost, wildcardMatches } from './host-match.js';

/**
 * The TLS certificates the proxy serves, by host (SNI server name): an exact host first, then
 * a wildcard (`*.foo.com`, one label), then the fallback (from a `tls` entry without hosts)
 * for an unknown or absent server name. Immutable once built; the proxy swaps whole sets.
 */
export class CertificateSet {
  constructor(
    private readonly exact: ReadonlyMap<string, SecureContext>,
    private readonly wildcards: ReadonlyMap<string, SecureContext>,
    private readonly fallback?: SecureContext,
  ) {}

  /** The set with no certificate: every TLS handshake is refused. */
  static empty(): CertificateSet {
    return new CertificateSet(new Map(), new Map());
  }

  /** The context for a TLS server name (any case, `''` when the client sent none). */
  lookup(servername: string): SecureContext | undefined {
    const host = requestHost(servername);
    const exact = this.exact.get(host);
    if (exact) return exact;
    const dot = host.indexOf('.');
    const wildcard = dot > 0 ? `*${host.slice(dot)}` : undefined;
    if (wildcard && wildcardMatches(wildcard, host)) {
      const context = this.wildcards.get(wildcard);
      if (context) return context;
    }
    return this.fallback;
  }

  /** The hosts with a certificate, sorted (`*` for the fallback): for logs and tests. */
  hosts(): string[] {
    const hosts = [...this.exact.keys(), ...this.wildcards.keys()].sort();
    return this.fallback ? [...hosts, '*'] : hosts;
  }
}
