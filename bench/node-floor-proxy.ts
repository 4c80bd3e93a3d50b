// The floor of any reverse proxy written for Node: one http.Server, one keep-alive Agent, round
// robin over the backends, the request and the answer piped through, nothing else (no routing,
// no header rewriting, no timeouts, no error pages). bench:ingress-nginx runs it beside Berth's
// Ingress and nginx so the table tells Berth's own cost (Ingress / this) from Node's (this /
// nginx). Not a proxy to use: it exists to be measured.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface NodeFloorProxy {
  port: number;
  close(): Promise<void>;
}

export async function startNodeFloorProxy(backends: string[]): Promise<NodeFloorProxy> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
  const targets = backends.map((b) => {
    const [host, port] = b.split(':');
    return { host: host as string, port: Number(port) };
  });
  let next = 0;
  const server = http.createServer((req, res) => {
    const target = targets[next++ % targets.length] as { host: string; port: number };
    const upstream = http.request(
      { ...target, agent, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
