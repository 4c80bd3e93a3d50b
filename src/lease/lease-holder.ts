import os from 'node:os';

/** Who holds a lease: what `berth down` and `berth status` say about a running Berth. */
export interface LeaseHolder {
  /** Host name of the holder's machine. */
  host: string;
  pid: number;
  /** The holder's node name (berth.yaml `node.name`, default the host name). */
  node: string;
  /** When the holder's process started, ISO 8601. */
  startedAt: string;
  /** A `berth up --worker` process (queues only: never leads, runs no node). */
  worker?: boolean;
}

/** A lease as read from Redis: its holder, fencing token and the time left before it expires. */
export interface LeaseRecord extends LeaseHolder {
  key: string;
  token: number;
  /** Milliseconds until it expires unless renewed. */
  expiresInMs: number;
}

const STARTED_AT = new Date(Date.now() - Math.round(process.uptime() * 1000)).toISOString();

/** This process as a lease holder on node `node`. */
export function thisProcess(node: string): LeaseHolder {
  return { host: os.hostname(), pid: process.pid, node, startedAt: STARTED_AT };
}

/** "host pid N": how messages name a holder. */
export function describeHolder(holder: LeaseHolder): string {
  return `${holder.host} pid ${holder.pid}`;
}
