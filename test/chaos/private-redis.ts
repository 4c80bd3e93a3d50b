import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { eventually } from '../harness/eventually.js';
import { freePort } from '../harness/ports.js';

/**
 * A `redis-server` of the chaos suite's own (its own port on loopback, its own directory, AOF
 * on as scripts/setup-host configures the host's), so that restarting Redis never touches the
 * Redis other tests and engineers share. Stopped after the test file.
 */
export interface PrivateRedis {
  url: string;
  /** A plain client for assertions (reconnects across restarts). */
  client: Redis;
  /** Restarts the server on the same data: SIGTERM (it flushes its AOF), then starts it again. */
  restart(): Promise<void>;
}

export function usePrivateRedis(dir: string): PrivateRedis & { start(): Promise<void> } {
  const data = path.join(dir, 'redis');
  mkdirSync(data, { recursive: true });
  let port = 0;
  let server: ChildProcess | undefined;
  let client: Redis | undefined;
  const start = async () => {
    port ||= await freePort();
    server = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        data,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--daemonize',
        'no',
      ],
      { stdio: 'ignore' },
    );
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1 });
    probe.on('error', () => {});
    await eventually(
      async () => {
        await probe.connect().catch(() => undefined);
        return (await probe.ping()) === 'PONG';
      },
      { what: `redis-server on port ${port}`, timeout: 30_000, interval: 200 },
    );
    probe.disconnect();
  };
  const stop = async () => {
    const s = server;
    if (!s || s.exitCode !== null || s.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      s.once('exit', () => resolve());
      s.kill('SIGTERM');
    });
  };
  afterAll(async () => {
    client?.disconnect();
    await stop();
  });
  return {
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    get client() {
      if (!client) {
        client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null });
        // Refused connections while the server restarts: the client reconnects by itself.
        client.on('error', () => {});
      }
      return client;
    },
    start,
    restart: async () => {
      await stop();
      await start();
    },
  };
}
