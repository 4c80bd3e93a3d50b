import os from 'node:os';

/** This host's address as pods see it (status.hostIP): the first IPv4 of a physical interface, else 127.0.0.1. */
export function detectHostIP(): string {
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    if (/^(lo|docker|br-|veth)/.test(name)) continue;
    const v4 = addrs?.find((a) => a.family === 'IPv4' && !a.internal);
    if (v4) return v4.address;
  }
  return '127.0.0.1';
}
