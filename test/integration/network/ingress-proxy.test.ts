// The Ingress proxy against real traffic: busybox httpd backends (A, B, C) on a bridge network
// of this test's own, requests from the host to the proxy on 127.0.0.1 by Host header and path.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCertificates,
  buildRouteTable,
  IngressProxy,
} from '../../../src/network/ingress/index.js';
import type { Stored } from '../../../src/store/index.js';
import { createLogger } from '../../../src/util/logger.js';
import { useDocker } from '../../harness/docker.js';
import { selfSigned, tlsSecret } from '../../harness/self-signed.js';
import { BACKEND_FILES, endpoints, get, ingress, service } from './ingress-fixture.js';
import { ProxyLab, tally } from './proxy-lab.js';

const { docker, id, labels } = useDocker();
let lab: ProxyLab;
let proxy: IngressProxy;
let port: number;
let tlsPort: number;
let wsBackend: http.Server;
const secureCert = selfSigned(['secure.test']);
const logLines: string[] = [];

const ip = (i: number) => lab.backends[i]?.ip as string;

/** Every Service the tests route to, and their Endpoints. */
function endpointObjects(): Stored<'Endpoints'>[] {
  const wsPort = (wsBackend.address() as AddressInfo).port;
  return [
    endpoints('a', [ip(0)]),
    endpoints('b', [ip(1)]),
    endpoints('c', [ip(2)]),
    endpoints('ab', [ip(0), ip(1)]),
    endpoints('starting', [], [ip(0)]),
    endpoints('broken', [ip(0)], [], 9),
    endpoints('ws', ['127.0.0.1'], [], wsPort),
  ];
}

/** Builds the table (and certificates) from these Ingresses and swaps it into the running proxy. */
function serve(ingresses: Stored<'Ingress'>[]): void {
  const names = ['a', 'b', 'c', 'ab', 'starting', 'broken', 'ws'];
  const { table, problems } = buildRouteTable({
    ingresses,
    services: names.map(service),
    endpoints: endpointObjects(),
  });
  expect(problems).toEqual([]);
  const tls = buildCertificates({
    ingresses,
    secrets: [tlsSecret('default', 'secure-tls', secureCert)],
  });
  expect(tls.problems).toEqual([]);
  proxy.update(table, tls.certificates);
}

const SITE = ingress(
  'site',
  {
    'a.test': [
      ['/', 'Prefix', 'a'],
      ['/app', 'Prefix', 'b'],
      ['/app/x', 'Exact', 'c'],
      ['/same/', 'Prefix', 'b'],
      ['/same/', 'Exact', 'c'],
    ],
    'b.test': [['/', 'Prefix', 'b']],
    '*.wild.test': [['/', 'Prefix', 'c']],
    'rr.test': [['/', 'Prefix', 'ab']],
    'starting.test': [['/', 'Prefix', 'starting']],
    'broken.test': [['/', 'Prefix', 'broken']],
    'ws.test': [['/', 'Prefix', 'ws']],
    'secure.test': [['/', 'Prefix', 'a']],
  },
  { defaultBackend: 'c', tls: [{ hosts: ['secure.test'], secretName: 'secure-tls' }] },
);

beforeAll(async () => {
  wsBackend = echoUpgradeServer();
  await new Promise<void>((resolve) => wsBackend.listen(0, '127.0.0.1', resolve));
  lab = await ProxyLab.start(docker, id, labels, ['A', 'B', 'C'], { extraFiles: BACKEND_FILES });
  proxy = await IngressProxy.start({
    host: '127.0.0.1',
    port: 0,
    tlsPort: 0,
    logger: createLogger({
      format: 'json',
      destination: { write: (l: string) => logLines.push(l) },
    }),
  });
  port = proxy.addresses().http.port;
  tlsPort = proxy.addresses().https?.port as number;
  serve([SITE]);
});

afterAll(async () => {
  await proxy?.close();
  wsBackend?.close();
});

describe('Ingress proxy (real traffic)', () => {
  it('routes by Host header, wildcard hosts one label deep', async () => {
    expect((await get(port, 'a.test', '/')).body).toBe('A');
    expect((await get(port, 'B.test:8080', '/')).body).toBe('B');
    expect((await get(port, 'x.wild.test', '/')).body).toBe('C');
  });

  it('routes by path: Exact before Prefix, longest first, by path element', async () => {
    expect((await get(port, 'a.test', '/app/y')).body).toBe('B');
    expect((await get(port, 'a.test', '/app/x')).body).toBe('C');
    expect((await get(port, 'a.test', '/apple')).body).toBe('A');
    expect((await get(port, 'a.test', '/same/')).body).toBe('C');
    expect((await get(port, 'a.test', '/same/z?q=1')).body).toBe('B');
  });

  it('sends what no rule matches to the default backend, else answers 404', async () => {
    expect((await get(port, 'other.test', '/')).body).toBe('C');
    expect((await get(port, 'y.x.wild.test', '/')).body).toBe('C');
    serve([ingress('plain', { 'a.test': [['/', 'Prefix', 'a']] })]);
    try {
      const reply = await get(port, 'other.test', '/');
      expect(reply.status).toBe(404);
    } finally {
      serve([SITE]);
    }
  });

  it('takes the ready endpoints in turn', async () => {
    const bodies = [];
    for (let i = 0; i < 10; i++) bodies.push((await get(port, 'rr.test', '/')).body);
    expect(tally(bodies)).toEqual({ A: 5, B: 5 });
  });

  it('answers 503 without a ready endpoint and 502 when the backend fails', async () => {
    const starting = await get(port, 'starting.test', '/');
    expect(starting.status).toBe(503);
    expect(starting.body).toContain('default/starting:80');
    expect((await get(port, 'broken.test', '/')).status).toBe(502);
    expect(logLines.join('')).toMatch(/"level":"warn".*"code":"ECONNREFUSED"/);
    // The proxy keeps serving.
    expect((await get(port, 'a.test', '/')).body).toBe('A');
  });

  it('sets X-Forwarded-For/-Proto/-Host and drops the client own', async () => {
    const { body } = await get(port, 'a.test', '/cgi-bin/env', {
      headers: { 'X-Forwarded-For': '6.6.6.6', 'X-Forwarded-Host': 'evil.test' },
    });
    expect(body).toContain('HTTP_X_FORWARDED_FOR=127.0.0.1\n');
    expect(body).toContain('HTTP_X_FORWARDED_PROTO=http\n');
    expect(body).toContain('HTTP_X_FORWARDED_HOST=a.test\n');
    expect(body).toContain('HTTP_HOST=a.test\n');
    expect(body).not.toContain('6.6.6.6');
    expect(body).not.toContain('evil.test');
  });

  it('serves HTTPS with the certificate of the SNI host from a kubernetes.io/tls Secret', async () => {
    const reply = await get(tlsPort, 'secure.test', '/cgi-bin/env', { ca: secureCert.cert });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('HTTP_X_FORWARDED_PROTO=https\n');
    expect((await get(tlsPort, 'secure.test', '/', { ca: secureCert.cert })).body).toBe('A');
    // No certificate for this name (and no fallback): the handshake is refused.
    await expect(get(tlsPort, 'a.test', '/', { ca: secureCert.cert })).rejects.toThrow();
    expect(logLines.join('')).not.toContain(secureCert.key.split('\n')[1]);
  });

  it('swaps routes without a restart, on a connection opened before', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = await get(port, 'b.test', '/', { agent });
      expect(before.body).toBe('B');
      serve([ingress('moved', { 'b.test': [['/', 'Prefix', 'c']] })]);
      const after = await get(port, 'b.test', '/', { agent });
      expect(after.body).toBe('C');
      expect(after.reusedSocket).toBe(true);
      expect(proxy.addresses().http.port).toBe(port);
    } finally {
      agent.destroy();
      serve([SITE]);
    }
  });

  it('proxies websocket upgrades', async () => {
    const echoed = await new Promise<string>((resolve, reject) => {
      const request = http.request({
        host: '127.0.0.1',
        port,
        path: '/chat',
        headers: { host: 'ws.test', connection: 'Upgrade', upgrade: 'websocket' },
      });
      request.on('upgrade', (_res, socket: Socket) => {
        socket.once('data', (d: Buffer) => {
          resolve(d.toString());
          socket.destroy();
        });
        socket.write('ping');
      });
      request.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      request.on('error', reject);
      request.end();
    });
    expect(echoed).toBe('ping');
  });
});

/** A backend on the host that accepts any upgrade and echoes what it receives. */
function echoUpgradeServer(): http.Server {
  const server = http.createServer((_req, res) => res.end('not an upgrade'));
  server.on('upgrade', (_req, socket: Socket) => {
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
    );
    socket.pipe(socket);
  });
  return server;
}
