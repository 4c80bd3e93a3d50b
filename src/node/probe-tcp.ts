import net from 'node:net';
import type { ActionResult } from './probe-exec.js';

/** A tcpSocket probe: success when a TCP connection to host:port opens within the timeout. */
export function tcpSocketAction(
  host: string,
  port: number,
  timeoutMs: number,
): Promise<ActionResult> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (result: ActionResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.on('connect', () => done({ success: true, message: 'connected' }));
    socket.on('timeout', () =>
      done({ success: false, message: `dial tcp ${host}:${port}: i/o timeout` }),
    );
    socket.on('error', (err) =>
      done({ success: false, message: `dial tcp ${host}:${port}: ${err.message}` }),
    );
  });
}
