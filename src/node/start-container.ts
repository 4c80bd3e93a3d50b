import os from 'node:os';
import { errorMessage } from '../util/berth-error.js';
import { containerCreateOptions } from './container-config.js';
import { resolveEnv } from './env.js';
import { ensureImage } from './image.js';
import { runPostStart } from './lifecycle.js';
import type { ContainerSnapshot, PodLiveState } from './live-state.js';
import { inspectSnapshot } from './live-state.js';
import { NodeError } from './node-error.js';
import type { Container, Pod } from './pod-spec.js';
import type { SyncContext } from './sync-context.js';
import { type PodVolumes, volumeBinds } from './volumes.js';

/**
 * Creates and starts one container of the pod in its sandbox: image by pull policy, env,
 * volume binds, then the postStart hook (a failing hook kills the container). A failure is
 * remembered as the container's waiting reason (ErrImagePull, CreateContainerConfigError,
 * RunContainerError) and retried with backoff (ImagePullBackOff for pulls). Returns the new
 * container, or undefined when it could not start (or is still backing off).
 */
export async function startContainer(
  pod: Pod,
  container: Container,
  role: 'init' | 'app',
  restartCount: number,
  sandbox: ContainerSnapshot,
  volumes: PodVolumes,
  live: PodLiveState,
  ctx: SyncContext,
): Promise<ContainerSnapshot | undefined> {
  const { docker } = ctx.opts;
  const retry = ctx.retries.get(container.name);
  if (retry && Date.now() < retry.nextTryAt) {
    const reason = retry.reason === 'ErrImagePull' ? 'ImagePullBackOff' : retry.reason;
    const message =
      retry.reason === 'ErrImagePull'
        ? `Back-off pulling image "${container.image}": ${retry.message}`
        : retry.message;
    ctx.memory.waiting.set(container.name, { reason, message });
    return undefined;
  }
  let createdId: string | undefined;
  try {
    const imageUser = await ensureImage(docker, container);
    const facts = { podIP: sandbox.ip ?? ctx.hostIP, hostIP: ctx.hostIP, nodeName: os.hostname() };
    const env = await resolveEnv(pod, container, ctx.opts.lookup, facts);
    const binds = await volumeBinds(container, volumes);
    const options = containerCreateOptions(pod, container, {
      instance: ctx.opts.instance,
      sandboxId: sandbox.id,
      role,
      restartCount,
      env,
      binds,
      imageUser,
    });
    const created = await docker.createContainer(options);
    createdId = created.id;
    await created.start();
  } catch (err) {
    if (createdId)
      await docker
        .getContainer(createdId)
        .remove({ force: true })
        .catch(() => undefined);
    const reason = err instanceof NodeError ? err.code : 'RunContainerError';
    recordFailure(ctx, container.name, reason, errorMessage(err));
    return undefined;
  }
  ctx.retries.delete(container.name);
  ctx.memory.waiting.delete(container.name);
  const hook = await runPostStart(docker, createdId, container, sandbox.ip ?? ctx.hostIP);
  if (hook && !hook.success) {
    ctx.opts.logger?.warn(
      { pod: pod.metadata.name, container: container.name, reason: 'FailedPostStartHook' },
      `postStart hook failed: ${hook.message}`,
    );
    await docker
      .getContainer(createdId)
      .kill()
      .catch(() => undefined);
  }
  const snap = await inspectSnapshot(docker, createdId, ctx.opts.network);
  live.current.set(container.name, snap);
  return snap;
}

function recordFailure(ctx: SyncContext, name: string, reason: string, message: string): void {
  const failures = (ctx.retries.get(name)?.failures ?? 0) + 1;
  const delay = Math.min(ctx.opts.backoffInitialMs * 2 ** (failures - 1), ctx.opts.backoffMaxMs);
  ctx.retries.set(name, { failures, nextTryAt: Date.now() + delay, reason, message });
  ctx.memory.waiting.set(name, { reason, message });
}
