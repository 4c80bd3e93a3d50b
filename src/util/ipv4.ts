/** IPv4 addresses as numbers, for the address allocators (Service IPs, pod IPs). */

/**
 * The network address (as a number) and prefix length of an IPv4 CIDR between /8 and /30;
 * throws a RangeError naming the value otherwise.
 */
export function parseCidr(cidr: string): [number, number] {
  const [ip, bits, extra] = cidr.split('/');
  const n = ipv4ToNumber(ip ?? '');
  const b = Number(bits);
  if (extra !== undefined || n === undefined || !Number.isInteger(b) || b < 8 || b > 30)
    throw new RangeError(`"${cidr}" is not an IPv4 CIDR between /8 and /30`);
  const mask = (0xffffffff << (32 - b)) >>> 0;
  return [(n & mask) >>> 0, b];
}

/** A dotted-quad IPv4 address as a number; undefined when it is not one. */
export function ipv4ToNumber(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** A number as a dotted-quad IPv4 address. */
export function numberToIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
