import type Docker from 'dockerode';
import { runHandler } from './handler.js';
import type { Container } from './pod-spec.js';
import type { ActionResult } from './probe-exec.js';

/**
 * Stops a running container as the kubelet does: the preStop hook first (within the grace
 * period), then SIGTERM, then SIGKILL when the grace period runs out. Returns the preStop
 * result, if there was a hook.
 */
export async function stopContainer(
  docker: Docker,
  containerId: string,
  container: Container | undefined,
  podIP: string,
  graceMs: number,
): Promise<ActionResult | undefined> {
  const started = Date.now();
  let hook: ActionResult | undefined;
  const preStop = container?.lifecycle?.preStop;
  if (preStop && container) {
    hook = await runHandler(
      preStop,
      { docker, containerId, podIP, container },
      Math.max(graceMs, 1000),
    );
  }
  const left = Math.max(0, Math.ceil((graceMs - (Date.now() - started)) / 1000));
  await docker
    .getContainer(containerId)
    .stop({ t: left })
    .catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 304 && err.statusCode !== 404) throw err;
    });
  return hook;
}

/** Runs the postStart hook of a container just started; a failure means the container is killed. */
export async function runPostStart(
  docker: Docker,
  containerId: string,
  container: Container,
  podIP: string,
): Promise<ActionResult | undefined> {
  const postStart = container.lifecycle?.postStart;
  if (!postStart) return undefined;
  return runHandler(postStart, { docker, containerId, podIP, container }, 30_000);
}
