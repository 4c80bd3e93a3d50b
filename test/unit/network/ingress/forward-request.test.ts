import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { forwardRequest } from '../../../../src/network/ingress/forward-request.js';

const servers: http.Server[] = [];
const agents: http.Agent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) a.destroy();
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((r) => {
          s.close(() => r());
          s.closeAllConnections();
        }),
    ),
  );
});

async function listen(
  handler: http.RequestListener,
): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A proxy on loopback forwarding everything to 127.0.0.1:`backendPort`; errors answer 502. */
async function proxyTo(backendPort: number, timeoutMs = 10_000) {
  const agent = new http.Agent({ keepAlive: true });
  agents.push(agent);
  const errors: string[] = [];
  const { port } = await listen((req, res) =>
    forwardRequest(
      req,
      res,
      { address: `127.0.0.1:${backendPort}`, host: '127.0.0.1', port: backendPort },
      { agent, timeoutMs },
      (err) => {
        errors.push(String(err.code));
        if (!res.headersSent) res.writeHead(502).end('bad gateway');
        else res.destroy();
      },
    ),
  );
  return { port, errors };
}

/** One request on a fresh connection; status, headers and body of the answer. */
function get(port: number, headers: http.OutgoingHttpHeaders = {}, method = 'GET') {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: '/p?q=1', method, headers, agent: false },
        (res) => {
          let body = '';
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

describe('forwardRequest', () => {
  it('sets X-Forwarded-* itself, drops hop-by-hop headers both ways, keeps the path and Host', async () => {
    const { port: backend } = await listen((req, res) => {
      res.setHeader('connection', 'close');
      res.setHeader('keep-alive', 'timeout=1');
      res.setHeader('x-seen', JSON.stringify({ url: req.url, headers: req.headers }));
      res.end('hello');
    });
    const { port } = await proxyTo(backend);
    const answer = await get(port, {
      host: 'shop.example:8443',
      'x-forwarded-for': '6.6.6.6',
      'x-forwarded-host': 'evil',
      'proxy-connection': 'keep-alive',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('hello');
    expect(answer.headers['keep-alive']).not.toBe('timeout=1');
    const seen = JSON.parse(answer.headers['x-seen'] as string);
    expect(seen.url).toBe('/p?q=1');
    expect(seen.headers).toMatchObject({
      host: 'shop.example:8443',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-host': 'shop.example:8443',
      'x-forwarded-port': '8443',
      'x-forwarded-proto': 'http',
    });
    expect(seen.headers['proxy-connection']).toBeUndefined();
  });

  it('reuses one backend connection for requests in sequence (keep-alive pool)', async () => {
    const sockets = new Set<unknown>();
    const { port: backend } = await listen((req, res) => {
      sockets.add(req.socket);
      res.end('ok');
    });
    const { port } = await proxyTo(backend);
    for (let i = 0; i < 5; i++) expect((await get(port, { connection: 'close' })).body).toBe('ok');
    expect(sockets.size).toBe(1);
  });

  it('sends DELETE without a body with Content-Length 0', async () => {
    const { port: backend } = await listen((req, res) =>
      res.end(String(req.headers['content-length'])),
    );
    const { port } = await proxyTo(backend);
    expect((await get(port, {}, 'DELETE')).body).toBe('0');
  });

  it('reports a backend that refuses or does not answer in time, and the client gets 502', async () => {
    const { port: silent } = await listen(() => {});
    const slow = await proxyTo(silent, 200);
    expect((await get(slow.port)).status).toBe(502);
    expect(slow.errors).toEqual(['ETIMEDOUT']);

    const { server, port: gone } = await listen(() => {});
    await new Promise<void>((r) => server.close(() => r()));
    const refused = await proxyTo(gone);
    expect((await get(refused.port)).status).toBe(502);
    expect(refused.errors).toEqual(['ECONNREFUSED']);
  });
});
