import { chmod, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseImageReference } from '../images/index.js';
import { errorMessage } from '../util/berth-error.js';
import { containerCreateOptions } from './container-config.js';
import { resolveEnv } from './env.js';
import { ensureImage, pullCredentials } from './image.js';
import { runPostStart } from './lifecycle.js';
import { type ContainerSnapshot, inspectSnapshot, type PodLiveState } from './live-state.js';
import { podUid } from './names.js';
import { NodeError } from './node-error.js';
import type { Container, Pod } from './pod-spec.js';
import { podStartFailed } from './sandbox.js';
import { aloneLabels, type PodSandbox, podNetworkOptions } from './sandbox-config.js';
import { NodeStoppingError } from './start-gate.js';
import type { SyncContext } from './sync-context.js';
import { type PodVolumes, volumeBinds } from './volumes.js';

/** Reasons the image code reports with events of its own. */
const IMAGE_REASONS: ReadonlySet<string> = new Set([
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
]);
/**
 * Creates and starts one container of the pod in its sandbox (or alone, holding the pod-level
 * settings and address, in a pod without one): image by pull policy, env, volume binds, then
 * the postStart hook (a failing hook kills the container). A failure is
 * remembered as the container's waiting reason (ErrImagePull, CreateContainerConfigError,
 * RunContainerError) and retried with backoff (ImagePullBackOff for pulls). Returns the new
 * container, or undefined when it could not start (or is still backing off).
 */
export async function startContainer(
  pod: Pod,
  container: Container,
  role: 'init' | 'app',
  restartCount: number,
  sandbox: PodSandbox,
  volumes: PodVolumes,
  live: PodLiveState,
  ctx: SyncContext,
): Promise<ContainerSnapshot | undefined> {
  const { docker } = ctx.opts;
  const retry = ctx.retries.get(container.name);
  if (retry && Date.now() < retry.nextTryAt && !(await credentialsChanged(ctx, pod, container))) {
    const pulling = retry.reason === 'ErrImagePull';
    const reason = pulling ? 'ImagePullBackOff' : retry.reason;
    const message = pulling
      ? `Back-off pulling image "${container.image}": ${retry.message}`
      : retry.message;
    ctx.memory.waiting.set(container.name, { reason, message });
    if (pulling && !retry.reported) {
      retry.reported = true;
      ctx.opts.recordEvent?.(pod, {
        type: 'Normal',
        reason: 'BackOff',
        message: `Back-off pulling image "${container.image}"`,
        container: container.name,
      });
    }
    return undefined;
  }
  let createdId: string | undefined;
  try {
    const imageUser = await ensureImage(ctx, pod, container);
    const facts = { podIP: sandbox.ip ?? ctx.hostIP, hostIP: ctx.hostIP, nodeName: os.hostname() };
    const env = await resolveEnv(pod, container, ctx.opts.lookup, facts);
    const binds = await volumeBinds(container, volumes);
    const terminationLog = await terminationLogFile(pod, container.name, restartCount, ctx);
    const { alone } = sandbox;
    const options = containerCreateOptions(pod, container, {
      instance: ctx.opts.instance,
      ...(alone
        ? {
            alone: {
              options: podNetworkOptions(pod, ctx.opts, alone.ip),
              labels: aloneLabels(pod, alone),
            },
          }
        : { sandboxId: sandbox.id }),
      role,
      restartCount,
      env,
      binds,
      imageUser,
      terminationLog,
    });
    const created = await docker.createContainer(options);
    createdId = created.id;
    await created.start();
  } catch (err) {
    if (err instanceof NodeStoppingError) throw err;
    if (sandbox.alone) await podStartFailed(pod, ctx.opts, err, sandbox.alone.ip, ctx.podIPs);
    if (createdId)
      await docker
        .getContainer(createdId)
        .remove({ force: true })
        .catch(() => undefined);
    const reason = err instanceof NodeError ? err.code : 'RunContainerError';
    recordFailure(ctx, container.name, reason, errorMessage(err));
    // As the kubelet's FailedToCreateContainer (image errors have their events already): a
    // refused subPath, a missing ConfigMap key, a Docker error show in `describe pod`.
    if (!IMAGE_REASONS.has(reason))
      ctx.opts.recordEvent?.(pod, {
        type: 'Warning',
        reason: 'Failed',
        message: `Error: ${errorMessage(err)}`,
        container: container.name,
      });
    const failed = ctx.retries.get(container.name);
    if (failed && reason === 'ErrImagePull')
      failed.credentials = await imageCredentialsFingerprint(ctx, pod, container);
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

/**
 * Whether the credentials a failed pull of the container's image tried have changed since (a
 * pull secret fixed in Git, a rotated password): Berth then tries again at once instead of
 * waiting out the backoff, which exists not to repeat the same failing request.
 */
async function credentialsChanged(ctx: SyncContext, pod: Pod, container: Container) {
  const retry = ctx.retries.get(container.name);
  if (retry?.reason !== 'ErrImagePull' || retry.credentials === undefined) return false;
  return (await imageCredentialsFingerprint(ctx, pod, container)) !== retry.credentials;
}

async function imageCredentialsFingerprint(
  ctx: SyncContext,
  pod: Pod,
  container: Container,
): Promise<string | undefined> {
  const image = parseImageReference(container.image);
  if (!image) return undefined;
  return (await pullCredentials(ctx, pod, image).catch(() => undefined))?.fingerprint;
}

/** A fresh, empty, world-writable file for the container's termination message. */
async function terminationLogFile(
  pod: Pod,
  name: string,
  restartCount: number,
  ctx: SyncContext,
): Promise<string> {
  const dir = path.join(ctx.opts.stateDir, 'pods', podUid(pod), 'containers', name);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${restartCount}-termination-log`);
  await writeFile(file, '', { mode: 0o666 });
  await chmod(file, 0o666);
  return file;
}

function recordFailure(ctx: SyncContext, name: string, reason: string, message: string): void {
  const failures = (ctx.retries.get(name)?.failures ?? 0) + 1;
  const delay = Math.min(ctx.opts.backoffInitialMs * 2 ** (failures - 1), ctx.opts.backoffMaxMs);
  ctx.retries.set(name, { failures, nextTryAt: Date.now() + delay, reason, message });
  ctx.memory.waiting.set(name, { reason, message });
}
