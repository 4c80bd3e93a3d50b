import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** iptables refuses chain names longer than this. */
export const MAX_CHAIN_NAME = 28;

/** The first `length` base32 characters of the SHA-256 of `text` (as kube-proxy names chains). */
export function hash32(text: string, length: number): string {
  const bytes = createHash('sha256').update(text).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length >= length) break;
  }
  return out;
}

/**
 * The chain names of one Berth instance. Every name starts with `BR<6 base32 chars of the
 * instance hash>-` (9 characters) and is at most 27 characters long, under iptables' limit of
 * 28, so two instances (or two concurrent test runs) never share a chain.
 */
export class ChainNames {
  /** Common prefix of every chain of the instance; a chain is the instance's iff it starts with it. */
  readonly prefix: string;

  constructor(readonly instance: string) {
    this.prefix = `BR${hash32(`berth-instance:${instance}`, 6)}-`;
  }

  /** Top chain (nat: DNAT to Services; filter: rejects of Services without endpoints). */
  get services(): string {
    return `${this.prefix}SERVICES`;
  }

  /** nat chain of NodePort matches, jumped to last from {@link services} for local destinations. */
  get nodePorts(): string {
    return `${this.prefix}NODEPORTS`;
  }

  /** nat chain jumped to from POSTROUTING: masquerades marked packets. */
  get postrouting(): string {
    return `${this.prefix}POSTROUTING`;
  }

  /** nat chain that sets the masquerade mark. */
  get markMasq(): string {
    return `${this.prefix}MARK-MASQ`;
  }

  /** The chain of one Service port (`namespace/name:port/protocol`). */
  servicePort(servicePortKey: string): string {
    return `${this.prefix}SVC-${hash32(`${this.instance}|${servicePortKey}`, 14)}`;
  }

  /** The chain of one endpoint of one Service port. */
  endpoint(servicePortKey: string, endpoint: string): string {
    return `${this.prefix}SEP-${hash32(`${this.instance}|${servicePortKey}|${endpoint}`, 14)}`;
  }

  /** True when `chain` belongs to this instance. */
  owns(chain: string): boolean {
    return chain.startsWith(this.prefix);
  }
}
