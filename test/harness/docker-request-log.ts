import net from 'node:net';
import path from 'node:path';
import { afterAll } from 'vitest';

/** One request to the Docker API as it arrived at the proxy. */
export interface DockerRequest {
  /** Date.now() when its request line arrived. */
  at: number;
  method: string;
  path: string;
}

/** A Unix socket in front of Docker's that notes every request line passing through it. */
export interface DockerRequestLog {
  /** Give it to Berth as `BERTH_DOCKER_SOCKET`. */
  socket: string;
  requests: DockerRequest[];
  close(): Promise<void>;
}

/**
 * Starts a proxy for the Docker API at `<dir>/docker.sock` that forwards every byte to
 * `/var/run/docker.sock` both ways and records when each request (method and path) arrived:
 * what a process asked Docker to do, and when, independently of how long Docker takes.
 */
export async function dockerRequestLog(dir: string): Promise<DockerRequestLog> {
  const socket = path.join(dir, 'docker.sock');
  const requests: DockerRequest[] = [];
  const connections = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect('/var/run/docker.sock');
    connections.add(client).add(upstream);
    let tail = '';
    client.on('data', (chunk) => {
      const text = tail + chunk.toString('latin1');
      // A request line follows the previous request's body directly (keep-alive).
      for (const m of text.matchAll(/(GET|POST|PUT|DELETE|HEAD) (\/\S*) HTTP\/1\.[01]\r\n/g))
        requests.push({ at: Date.now(), method: m[1] as string, path: m[2] as string });
      // A request line cut by a chunk boundary is completed by the next chunk.
      tail = text.slice(-300);
      tail = tail.slice(Math.max(0, tail.lastIndexOf('\r\n')));
    });
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      connections.delete(client);
      connections.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      for (const c of connections) c.destroy();
      server.close(() => resolve());
    });
  afterAll(close);
  return { socket, requests, close };
}
