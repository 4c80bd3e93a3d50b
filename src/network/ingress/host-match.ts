/**
 * The host of a request's `Host` header (or TLS server name): lower-case, without the port or
 * a trailing dot; IPv6 literals keep their brackets. `''` when absent.
 */
export function requestHost(header: string | undefined): string {
  if (!header) return '';
  let host = header.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  if (colon !== -1) host = host.slice(0, colon);
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/**
 * Kubernetes' wildcard host: `*.foo.com` matches exactly one more label (`bar.foo.com`, not
 * `foo.com` nor `baz.bar.foo.com`). Both arguments lower-case.
 */
export function wildcardMatches(wildcard: string, host: string): boolean {
  if (!wildcard.startsWith('*.')) return false;
  const suffix = wildcard.slice(1);
  if (!host.endsWith(suffix)) return false;
  const label = host.slice(0, host.length - suffix.length);
  return label !== '' && !label.includes('.');
}
