import http from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { BackendEndpoint } from './backend-pool.js';

/** How {@link forwardRequest} reaches backends: the same for every request. */
export interface ForwardOptions {
  /** Keep-alive pool of backend connections. */
  agent: http.Agent;
  /** Milliseconds to wait for the backend (connect and each read) before failing. */
  timeoutMs: number;
}

// Hop-by-hop response headers (RFC 9110 7.6.1): Node's server writes its own framing and
// Connection for the client's connection. A backend closing its connection (busybox httpd always
// does) must not close the client's.
const HOP_RESPONSE = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'trailer',
];
// Hop-by-hop request headers that would make a pooled backend connection close or misbehave.
// transfer-encoding stays: it frames the request body that is piped through.
const HOP_REQUEST = ['connection', 'keep-alive', 'proxy-connection', 'trailer'];

/**
 * Proxies one HTTP request to `target` over the keep-alive pool of `options` and pipes the answer back: the
 * client's X-Forwarded-* headers are replaced by the proxy's own (For, Port, Proto, Host), hop-by-hop
 * headers are dropped both ways, a client that goes away aborts the backend request. `onError`
 * is called (once) when the backend fails or times out, with nothing written to `res` yet or
 * not; a client gone away is not an error. One request object and its options are the only
 * allocations per request besides Node's own.
 */
export function forwardRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: BackendEndpoint,
  options: ForwardOptions,
  onError: (err: NodeJS.ErrnoException) => void,
): void {
  const headers = req.headers;
  for (const h of HOP_REQUEST) delete headers[h];
  const encrypted = (req.socket as TLSSocket).encrypted === true;
  const host = headers.host;
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '';
  headers['x-forwarded-port'] = portOf(host) ?? (encrypted ? '443' : '80');
  headers['x-forwarded-proto'] = encrypted ? 'https' : 'http';
  headers['x-forwarded-host'] = host ?? '';
  const method = req.method ?? 'GET';
  if ((method === 'DELETE' || method === 'OPTIONS') && headers['content-length'] === undefined) {
    headers['content-length'] = '0';
    delete headers['transfer-encoding'];
  }
  const upstream = http.request({
    host: target.host,
    port: target.port,
    method,
    path: req.url ?? '/',
    headers,
    agent: options.agent,
  });
  let failed = false;
  const fail = (err: NodeJS.ErrnoException) => {
    if (failed) return;
    failed = true;
    upstream.destroy();
    // The client went away: nothing to answer.
    if (req.socket.destroyed && err.code === 'ECONNRESET') return;
    onError(err);
  };
  upstream.setTimeout(options.timeoutMs, () =>
    fail(
      Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' }),
    ),
  );
  upstream.on('error', fail);
  req.on('error', fail);
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  upstream.on('response', (answer) => {
    const out = answer.headers;
    for (const h of HOP_RESPONSE) delete out[h];
    answer.on('error', fail);
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, out);
    answer.pipe(res);
  });
  req.pipe(upstream);
}

/** The port in a Host header value (`name:port`, `[v6]:port`), if any. */
function portOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const colon = host.lastIndexOf(':');
  if (colon === -1 || host.endsWith(']')) return undefined;
  const port = host.slice(colon + 1);
  return /^\d+$/.test(port) ? port : undefined;
}
