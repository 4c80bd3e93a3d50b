import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Stored } from '../../../src/store/index.js';
import { storedMetadata } from '../../harness/stored-objects.js';

// Shell run in each ProxyLab backend before httpd: files for the paths the Ingress tests ask
// for (each holding the backend's own text) and a CGI script that prints the request's headers.
export const BACKEND_FILES = [
  'mkdir -p /w/cgi-bin /w/app /w/same',
  'for f in app/y app/x apple same/index.html same/z; do cp /w/index.html /w/$f; done',
  `printf '#!/bin/sh\\nprintf "Content-Type: text/plain\\\\r\\\\n\\\\r\\\\n"\\nenv\\n' > /w/cgi-bin/env`,
  'chmod +x /w/cgi-bin/env',
].join(' && ');

/** A path of an Ingress rule, to Service `name` port 80. */
export type PathSpec = [path: string, pathType: 'Exact' | 'Prefix', service: string];

/** An Ingress `default/<name>` with one rule per host (`''`: no host). */
export function ingress(
  name: string,
  rules: Record<string, PathSpec[]>,
  extra: { defaultBackend?: string; tls?: { hosts?: string[]; secretName: string }[] } = {},
): Stored<'Ingress'> {
  const backend = (service: string) => ({ service: { name: service, port: { number: 80 } } });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: storedMetadata({ name, namespace: 'default' }),
    spec: {
      ...(extra.defaultBackend ? { defaultBackend: backend(extra.defaultBackend) } : {}),
      ...(extra.tls ? { tls: extra.tls } : {}),
      rules: Object.entries(rules).map(([host, paths]) => ({
        ...(host ? { host } : {}),
        http: {
          paths: paths.map(([path, pathType, service]) => ({
            path,
            pathType,
            backend: backend(service),
          })),
        },
      })),
    },
  };
}

/** Service `default/<name>` port 80 (named `http`) → targetPort 8080. */
export function service(name: string): Stored<'Service'> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: storedMetadata({ name, namespace: 'default' }),
    spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
}

/**
 * Endpoints `default/<name>`: `ready` and `notReady` IPs on port `port` (named `http`), each
 * the address of a pod `<name>-<ip>` (as the Service controller writes them).
 */
export function endpoints(
  name: string,
  ready: string[],
  notReady: string[] = [],
  port = 8080,
): Stored<'Endpoints'> {
  const address = (ip: string) => ({
    ip,
    targetRef: {
      kind: 'Pod' as const,
      name: `${name}-${ip.replaceAll('.', '-')}`,
      namespace: 'default',
      uid: randomUUID(),
    },
  });
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: storedMetadata({ name, namespace: 'default' }),
    subsets: [
      {
        addresses: ready.map(address),
        notReadyAddresses: notReady.map(address),
        ports: [{ name: 'http', port, protocol: 'TCP' }],
      },
    ],
  };
}

/** A response as a test looks at it. */
export interface Reply {
  status: number;
  body: string;
  reusedSocket: boolean;
}

/** GET `path` from the proxy at 127.0.0.1:`port` with a Host header (HTTPS: SNI = host, verified against `ca`). */
export function get(
  port: number,
  host: string,
  path: string,
  options: { ca?: string; agent?: http.Agent; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const secure = options.ca !== undefined;
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      {
        host: '127.0.0.1',
        port,
        path,
        headers: { host, ...options.headers },
        ...(secure ? { servername: host, ca: options.ca } : {}),
        ...(options.agent ? { agent: options.agent } : {}),
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString().trim(),
            reusedSocket: request.reusedSocket,
          }),
        );
      },
    );
    request.on('timeout', () => request.destroy(new Error(`GET ${host}${path} timed out`)));
    request.on('error', reject);
    request.end();
  });
}
