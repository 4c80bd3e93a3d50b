import net from 'node:net';
import type { Logger } from '../util/logger.js';
import type { HostForward } from './host-view.js';

interface Listener {
  server: net.Server;
  forward: HostForward;
  next: number;
}

/**
 * Host ports Berth forwards itself (TCP): LoadBalancer ports, and NodePorts in the reduced
 * (no-iptables) mode. Each connection goes to the next ready backend (round-robin); with no
 * ready backend the connection is closed at once. `sync` opens, updates and closes listeners
 * to match; a port that cannot be opened (in use) is logged and retried at the next sync.
 */
export class PortForwarder {
  private readonly listeners = new Map<string, Listener>();

  constructor(private readonly logger?: Logger) {}

  /** Makes the open listeners match `forwards`. */
  async sync(forwards: readonly HostForward[]): Promise<void> {
    const wanted = new Map(forwards.map((f) => [`${f.address}:${f.port}`, f]));
    for (const [id, l] of this.listeners) {
      if (!wanted.has(id)) {
        this.listeners.delete(id);
        l.server.close();
      }
    }
    for (const [id, forward] of wanted) {
      const existing = this.listeners.get(id);
      if (existing) {
        existing.forward = forward;
        continue;
      }
      const listener: Listener = { server: net.createServer(), forward, next: 0 };
      listener.server.on('connection', (socket) => this.connect(listener, socket));
      try {
        await new Promise<void>((resolve, reject) => {
          listener.server.once('error', reject);
          listener.server.listen(forward.port, forward.address, () => resolve());
        });
        listener.server.on('error', () => undefined);
        this.listeners.set(id, listener);
      } catch (err) {
        this.logger?.warn(
          { service: forward.service, address: id, err: (err as Error).message },
          'cannot open the Service host port',
        );
      }
    }
  }

  /** The `address:port` of every open listener. */
  listening(): string[] {
    return [...this.listeners.keys()].sort();
  }

  /** Closes every listener (open connections finish on their own). */
  async close(): Promise<void> {
    const servers = [...this.listeners.values()].map((l) => l.server);
    this.listeners.clear();
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  private connect(listener: Listener, socket: net.Socket): void {
    const { backends } = listener.forward;
    if (backends.length === 0) {
      socket.resetAndDestroy(); // the client sees "connection reset" at once
      return;
    }
    const backend = backends[listener.next++ % backends.length] as { ip: string; port: number };
    const upstream = net.connect(backend.port, backend.ip);
    socket.on('error', () => upstream.destroy());
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  }
}
