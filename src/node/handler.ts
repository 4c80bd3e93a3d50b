import type Docker from 'dockerode';
import { NodeError } from './node-error.js';
import type {
  Container,
  HTTPGetAction,
  LifecycleHandler,
  Probe,
  TCPSocketAction,
} from './pod-spec.js';
import { type ActionResult, execAction } from './probe-exec.js';
import { httpGetAction } from './probe-http.js';
import { tcpSocketAction } from './probe-tcp.js';
import { sleep } from './timeout.js';

/** Where a probe or hook runs: the container and its pod's IP. */
export interface HandlerTarget {
  docker: Docker;
  containerId: string;
  podIP: string;
  container: Container;
}

/** Resolves a named port (`http`) to the container's containerPort. */
export function resolvePort(container: Container, port: number | string): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const found = container.ports?.find((p) => p.name === port);
  if (!found) {
    throw new NodeError('InvalidPort', `container ${container.name} has no port named "${port}"`, {
      container: container.name,
      port,
    });
  }
  return found.containerPort;
}

/** Runs a probe's or hook's action (exec, httpGet, tcpSocket or sleep) once. */
export async function runHandler(
  handler: Probe | LifecycleHandler,
  target: HandlerTarget,
  timeoutMs: number,
): Promise<ActionResult> {
  try {
    if (handler.exec)
      return await execAction(
        target.docker,
        target.containerId,
        handler.exec.command ?? [],
        timeoutMs,
      );
    if (handler.httpGet) {
      const action: HTTPGetAction = handler.httpGet;
      return await httpGetAction(
        action,
        target.podIP,
        resolvePort(target.container, action.port),
        timeoutMs,
      );
    }
    if ('tcpSocket' in handler && handler.tcpSocket) {
      const action: TCPSocketAction = handler.tcpSocket;
      return await tcpSocketAction(
        action.host ?? target.podIP,
        resolvePort(target.container, action.port),
        timeoutMs,
      );
    }
    if ('sleep' in handler && handler.sleep) {
      await sleep(handler.sleep.seconds * 1000);
      return { success: true, message: 'slept' };
    }
    return { success: false, message: 'no action (exec, httpGet, tcpSocket or sleep) given' };
  } catch (err) {
    return { success: false, message: err instanceof Error ? err.message : String(err) };
  }
}
