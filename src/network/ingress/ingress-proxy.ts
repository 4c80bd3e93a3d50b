import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createProxyServer, type ProxyServer } from 'http-proxy-3';
import { CertificateSet } from './certificate-set.js';
import { type ForwardOptions, forwardRequest } from './forward-request.js';
import { requestHost } from './host-match.js';
import { IngressError } from './ingress-error.js';
import {
  type CompiledIngressProxyOptions,
  compileIngressProxyOptions,
  type IngressProxyOptions,
} from './ingress-proxy-options.js';
import { type RouteMatch, RouteTable } from './route-table.js';

/** Where the proxy listens (ports resolved when 0 was asked for). */
export interface IngressProxyAddresses {
  http: { host: string; port: number };
  https?: { host: string; port: number };
}

// Forwarding headers a client may send: replaced by the proxy's own (not trusted, not appended).
const FORWARDED = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port'];

/**
 * The host's Ingress reverse proxy (node:http/https; http-proxy-3 for websockets). Routes each request by
 * its Host header and path through the current {@link RouteTable} to the next ready endpoint
 * of the matched backend (round-robin): 404 when nothing matches, 503 when the backend has no
 * ready endpoint, 502 when the backend fails or times out. Sets X-Forwarded-For/-Proto/-Host/
 * -Port (the client's own are dropped); proxies websockets. With a `tlsPort`, serves HTTPS with
 * the certificate of the SNI server name from the current {@link CertificateSet}.
 * `update` swaps table and certificates at once, without a restart or dropping connections.
 */
export class IngressProxy {
  private routes = RouteTable.empty();
  private certificates = CertificateSet.empty();
  private readonly proxy: ProxyServer;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
  private readonly servers: (http.Server | https.Server)[] = [];
  private readonly forward: ForwardOptions;

  private constructor(private readonly options: CompiledIngressProxyOptions) {
    this.forward = { agent: this.agent, timeoutMs: options.backendTimeoutMs };
    this.proxy = createProxyServer({
      xfwd: true,
      ws: true,
      agent: this.agent,
      proxyTimeout: options.backendTimeoutMs,
    });
    // Websockets only (plain requests go through forwardRequest). Connection is hop-by-hop: a
    // backend closing its connection must not close the client's.
    this.proxy.on('proxyRes', (res) => {
      delete res.headers.connection;
      delete res.headers['keep-alive'];
    });
  }

  /** Starts listening (HTTP, and HTTPS when `tlsPort` is set) with an empty table: 404 until `update`. */
  static async start(options: IngressProxyOptions = {}): Promise<IngressProxy> {
    const proxy = new IngressProxy(compileIngressProxyOptions(options));
    try {
      await proxy.listen();
    } catch (err) {
      await proxy.close();
      throw err;
    }
    return proxy;
  }

  /** Replaces the routes and certificates; requests already being proxied finish on the old ones. */
  update(routes: RouteTable, certificates: CertificateSet = this.certificates): void {
    this.routes = routes;
    this.certificates = certificates;
  }

  /** The current route table. */
  get routeTable(): RouteTable {
    return this.routes;
  }

  /** Where the proxy listens. */
  addresses(): IngressProxyAddresses {
    const [plain, secure] = this.servers.map((s) => {
      const a = s.address() as AddressInfo;
      return { host: a.address, port: a.port };
    });
    return { http: plain as { host: string; port: number }, ...(secure ? { https: secure } : {}) };
  }

  /** Stops listening, ends open connections and backend keep-alive sockets. */
  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      ),
    );
    this.servers.length = 0;
    this.proxy.close();
    this.agent.destroy();
  }

  private async listen(): Promise<void> {
    const { host, port, tlsPort } = this.options;
    await this.serve(http.createServer(), host, port);
    if (tlsPort !== undefined) {
      const server = https.createServer({
        SNICallback: (servername, done) => {
          const context = this.certificates.lookup(servername);
          if (context) done(null, context);
          else done(new Error('no certificate for this server name'));
        },
      });
      await this.serve(server, host, tlsPort);
    }
  }

  private async serve(server: http.Server | https.Server, host: string, port: number) {
    server.on('request', (req, res) => this.web(req, res));
    server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    // A client going away mid-request is not the proxy's error.
    server.on('clientError', (_err, socket) => socket.destroy());
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new IngressError(
            'IngressListenFailed',
            `Ingress proxy cannot listen on ${host}:${port}: ${err.code ?? err.message}`,
            { address: host, port, reason: err.code ?? err.message },
            { cause: err },
          ),
        ),
      );
      server.listen(port, host, () => resolve());
    });
  }

  private route(req: http.IncomingMessage): RouteMatch {
    return this.routes.match(requestHost(req.headers.host), pathOf(req.url ?? '/'));
  }

  private web(req: http.IncomingMessage, res: http.ServerResponse): void {
    const match = this.route(req);
    if (match.kind === 'none') {
      reply(res, 404, 'no Ingress rule matches this host and path');
      return;
    }
    const target = match.backend.nextEndpoint();
    if (!target) {
      reply(res, 503, `no ready endpoint for ${match.backend.name}`);
      return;
    }
    forwardRequest(req, res, target, this.forward, (err) => {
      this.logError(err, req, target.address);
      if (!res.headersSent) reply(res, 502, `backend ${match.backend.name} failed`);
      else res.destroy();
    });
  }

  private upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const match = this.route(req);
    const target = match.kind === 'none' ? undefined : match.backend.nextEndpoint();
    if (!target) {
      const status = match.kind === 'none' ? '404 Not Found' : '503 Service Unavailable';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    for (const header of FORWARDED) delete req.headers[header];
    this.proxy.ws(req, socket as Socket, head, { target: `ws://${target.address}` }, (err) => {
      this.logError(err, req, target.address);
      socket.destroy();
    });
  }

  private logError(err: Error, req: http.IncomingMessage, target: string): void {
    this.options.logger?.warn(
      {
        backend: target,
        host: requestHost(req.headers.host),
        path: pathOf(req.url ?? '/'),
        code: (err as NodeJS.ErrnoException).code,
      },
      `Ingress backend ${target} failed: ${err.message}`,
    );
  }
}

/** The raw path of a request target (origin or absolute form), without the query. */
function pathOf(url: string): string {
  if (!url.startsWith('/')) {
    try {
      return new URL(url).pathname;
    } catch {
      return '/';
    }
  }
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function reply(res: http.ServerResponse, status: number, message: string): void {
  const body = `${status} ${http.STATUS_CODES[status] ?? ''}: ${message}\n`;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
