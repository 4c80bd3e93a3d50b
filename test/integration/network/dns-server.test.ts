import dgram from 'node:dgram';
import net from 'node:net';
import * as packet from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterZone, type DnsServer, startDnsServer } from '../../../src/network/dns/index.js';

/** Asks a DNS server over UDP, as a pod's resolver does. */
function queryUdp(
  port: number,
  name: string,
  type: packet.RecordType = 'A',
): Promise<packet.Packet> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no answer for ${name}`));
    }, 3000);
    socket.on('message', (msg) => {
      clearTimeout(timer);
      socket.close();
      resolve(packet.decode(msg));
    });
    socket.send(
      packet.encode({
        type: 'query',
        id: 4242,
        flags: packet.RECURSION_DESIRED,
        questions: [{ type, name }],
      }),
      port,
      '127.0.0.1',
    );
  });
}

/** Asks over TCP (length-prefixed), as resolvers do after a truncated answer. */
function queryTcp(port: number, name: string): Promise<packet.Packet> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', reject);
    let buf = Buffer.alloc(0);
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        socket.end();
        resolve(packet.decode(buf.subarray(2)));
      }
    });
    socket.write(packet.streamEncode({ type: 'query', id: 7, questions: [{ type: 'A', name }] }));
  });
}

const rcode = (p: packet.Packet) => (p as { rcode?: string }).rcode;

describe('DNS server (real UDP and TCP on loopback)', () => {
  let upstream: DnsServer;
  let server: DnsServer;
  const services = [
    {
      namespace: 'default',
      name: 'web',
      clusterIP: '10.96.0.10',
      ports: [{ name: 'http', port: 80 }],
      endpoints: [],
    },
  ];

  beforeAll(async () => {
    // A stand-in for the host's resolver, authoritative for its own domain.
    upstream = await startDnsServer({
      host: '127.0.0.1',
      port: 0,
      upstreams: [],
      zone: new ClusterZone('upstream.test', [
        { namespace: 'ext', name: 'api', clusterIP: '192.0.2.7', ports: [], endpoints: [] },
      ]),
    });
    server = await startDnsServer({
      host: '127.0.0.1',
      port: 0,
      upstreams: [`127.0.0.1:${upstream.port}`],
      zone: new ClusterZone('cluster.local', services),
    });
  });
  afterAll(async () => {
    await server?.close();
    await upstream?.close();
  });

  it('answers cluster names authoritatively, with the query id and a short TTL', async () => {
    const reply = await queryUdp(server.port, 'web.default.svc.cluster.local');
    expect(reply.id).toBe(4242);
    expect(rcode(reply)).toBe('NOERROR');
    expect((reply.flags ?? 0) & packet.AUTHORITATIVE_ANSWER).toBeTruthy();
    expect(reply.answers).toEqual([
      expect.objectContaining({
        type: 'A',
        name: 'web.default.svc.cluster.local',
        ttl: 5,
        data: '10.96.0.10',
      }),
    ]);
  });

  it('says NXDOMAIN for an unknown service, so search-path expansion moves on', async () => {
    const reply = await queryUdp(server.port, 'web.default.svc.cluster.local.svc.cluster.local');
    expect(rcode(reply)).toBe('NXDOMAIN');
    expect(reply.answers).toEqual([]);
  });

  it('forwards other names to the upstream resolver and relays its answer', async () => {
    const reply = await queryUdp(server.port, 'api.ext.svc.upstream.test');
    expect(rcode(reply)).toBe('NOERROR');
    expect(reply.answers?.[0]).toMatchObject({ type: 'A', data: '192.0.2.7' });
  });

  it('answers SERVFAIL when no upstream answers', async () => {
    const lonely = await startDnsServer({
      host: '127.0.0.1',
      port: 0,
      upstreams: ['127.0.0.1:9'],
      upstreamTimeoutMs: 200,
      zone: new ClusterZone('cluster.local', []),
    });
    try {
      expect(rcode(await queryUdp(lonely.port, 'example.org'))).toBe('SERVFAIL');
    } finally {
      await lonely.close();
    }
  });

  it('serves TCP too, and a new zone from the next query on', async () => {
    expect(
      (await queryTcp(server.port, 'web.default.svc.cluster.local')).answers?.[0],
    ).toMatchObject({ data: '10.96.0.10' });
    server.setZone(
      new ClusterZone(
        'cluster.local',
        services.map((s) => ({ ...s, clusterIP: '10.96.0.99' })),
      ),
    );
    expect(
      (await queryUdp(server.port, 'web.default.svc.cluster.local')).answers?.[0],
    ).toMatchObject({ data: '10.96.0.99' });
  });
});
