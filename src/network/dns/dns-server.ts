import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import * as packet from 'dns-packet';
import type { Logger } from '../../util/logger.js';
import type { ClusterZone } from './cluster-zone.js';

/** Options of {@link startDnsServer}. */
export interface DnsServerOptions {
  /** Address to listen on: the cluster network's gateway, so pods reach it. */
  host: string;
  /** UDP and TCP port. Default 53; 0 picks a free one (tests). */
  port?: number;
  /** The records answered for the cluster domain; swap with {@link DnsServer.setZone}. */
  zone: ClusterZone;
  /** Resolvers other names go to, `ip` or `ip:port`. Default: the host's /etc/resolv.conf nameservers. */
  upstreams?: string[];
  /** How long an upstream may take. Default 2 s. */
  upstreamTimeoutMs?: number;
  logger?: Logger;
}

/** A running DNS server. */
export interface DnsServer {
  /** The port it listens on (UDP and TCP). */
  readonly port: number;
  /** Replaces the cluster records: new answers from the next query on. */
  setZone(zone: ClusterZone): void;
  close(): Promise<void>;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;

/**
 * An embedded DNS server for pods: authoritative (short TTL) for the cluster domain, a forwarder
 * to the host's resolvers for everything else. UDP and TCP; the wire format is dns-packet's.
 */
export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  let zone = options.zone;
  const upstreams = (options.upstreams ?? hostResolvers()).map(parseHostPort);
  const timeoutMs = options.upstreamTimeoutMs ?? 2000;
  const answer = async (query: Buffer): Promise<Buffer | null> => {
    let q: packet.Packet;
    try {
      q = packet.decode(query);
    } catch {
      return null; // not DNS: drop it, as resolvers do
    }
    const question = q.questions?.[0];
    const result = question ? zone.lookup(question.name, question.type) : null;
    if (question && result) {
      return packet.encode({
        type: 'response',
        id: q.id,
        flags:
          packet.AUTHORITATIVE_ANSWER |
          ((q.flags ?? 0) & packet.RECURSION_DESIRED) |
          packet.RECURSION_AVAILABLE |
          RCODE[result.rcode],
        questions: q.questions,
        answers: result.answers as packet.Answer[],
      });
    }
    const forwarded = await forward(query, upstreams, timeoutMs);
    if (forwarded) return forwarded;
    options.logger?.warn({ name: question?.name }, 'no upstream resolver answered');
    return packet.encode({
      type: 'response',
      id: q.id,
      flags: packet.RECURSION_AVAILABLE | RCODE.SERVFAIL,
      questions: q.questions,
    });
  };

  const udp = dgram.createSocket(options.host.includes(':') ? 'udp6' : 'udp4');
  udp.on('message', (msg, rinfo) => {
    void answer(msg).then((reply) => reply && udp.send(reply, rinfo.port, rinfo.address));
  });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(options.port ?? 53, options.host, () => resolve());
  });
  const port = udp.address().port;
  const tcp = net.createServer((socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
        const length = buffered.readUInt16BE(0);
        const query = buffered.subarray(2, 2 + length);
        buffered = buffered.subarray(2 + length);
        void answer(query).then((reply) => {
          if (!reply || socket.destroyed) return;
          const frame = Buffer.alloc(2 + reply.length);
          frame.writeUInt16BE(reply.length, 0);
          reply.copy(frame, 2);
          socket.write(frame);
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, options.host, () => resolve());
  });
  return {
    port,
    setZone: (z) => {
      zone = z;
    },
    close: async () => {
      await Promise.all([
        new Promise<void>((r) => udp.close(() => r())),
        new Promise<void>((r) => tcp.close(() => r())),
      ]);
    },
  };
}

/** Sends the query to each upstream in turn; the first answer wins. */
async function forward(
  query: Buffer,
  upstreams: Array<{ host: string; port: number }>,
  timeoutMs: number,
): Promise<Buffer | null> {
  for (const upstream of upstreams) {
    const reply = await new Promise<Buffer | null>((resolve) => {
      const socket = dgram.createSocket(upstream.host.includes(':') ? 'udp6' : 'udp4');
      const timer = setTimeout(() => done(null), timeoutMs);
      function done(value: Buffer | null) {
        clearTimeout(timer);
        socket.close();
        resolve(value);
      }
      socket.on('message', (msg) => done(msg));
      socket.on('error', () => done(null));
      socket.send(query, upstream.port, upstream.host);
    });
    if (reply) return reply;
  }
  return null;
}

/** The nameservers of the host's /etc/resolv.conf (loopback stub resolvers included). */
export function hostResolvers(path = '/etc/resolv.conf'): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .map((l) => /^\s*nameserver\s+(\S+)/.exec(l)?.[1])
      .filter((ip): ip is string => ip !== undefined);
  } catch {
    return [];
  }
}

/** `10.0.0.2`, `10.0.0.2:5353`, `[fd00::1]:53` or a bare IPv6 address. */
function parseHostPort(text: string): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? /^([^:]+)(?::(\d+))?$/.exec(text);
  return m ? { host: m[1] as string, port: Number(m[2] ?? 53) } : { host: text, port: 53 };
}
