import os from 'node:os';
import { errorMessage } from '../util/berth-error.js';
import { restartDelayMs, shouldRestart } from './backoff.js';
import { containerSpecHash } from './container-config.js';
import { stopContainer } from './lifecycle.js';
import { type ContainerSnapshot, type PodLiveState, readPodState } from './live-state.js';
import { NODE_LABELS, podUid } from './names.js';
import type { Container, Pod, PodStatus } from './pod-spec.js';
import { computePodStatus } from './pod-status.js';
import { ensureSandbox, keepAsPrevious } from './sandbox.js';
import { type PodSandbox, sandboxSpecHash } from './sandbox-config.js';
import { startContainer } from './start-container.js';
import { NodeStoppingError } from './start-gate.js';
import type { SyncContext } from './sync-context.js';
import { prepareVolumes } from './volumes.js';

/** The outcome of one {@link syncPod}. */
export interface SyncResult {
  status: PodStatus;
  live: PodLiveState;
  /** Look again after this long even if nothing happens (a backoff ends). */
  requeueAfterMs: number | undefined;
}

/**
 * One level-triggered, idempotent step towards the desired pod: reads the live state from
 * Docker, then makes the sandbox run (or assigns the address of a pod without one), writes
 * volume content, runs init containers one at a time in order (each to exit 0), starts or
 * restarts app containers by restartPolicy with CrashLoopBackOff, and recreates a container
 * whose spec changed. A healthy running container is never touched. Returns the pod status
 * computed afterwards.
 */
export async function syncPod(pod: Pod, ctx: SyncContext): Promise<SyncResult> {
  const { opts } = ctx;
  const live = await readPodState(opts.docker, opts.instance, podUid(pod), opts.network);
  const before = computePodStatus(pod, live, ctx.memory, ctx.hostIP);
  const result = (requeueAfterMs?: number): SyncResult => ({
    status: computePodStatus(pod, live, ctx.memory, ctx.hostIP),
    live,
    requeueAfterMs,
  });
  if (before.phase === 'Succeeded' || before.phase === 'Failed') {
    // A finished pod keeps its containers (logs, exit codes) but not its sandbox.
    if (live.sandbox?.running)
      await opts.docker
        .getContainer(live.sandbox.id)
        .stop({ t: 0 })
        .catch(() => undefined);
    return result();
  }
  let sandbox: PodSandbox;
  try {
    sandbox = await ensureSandbox(pod, live, opts, ctx.podIPs);
  } catch (err) {
    if (err instanceof NodeStoppingError) throw err;
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      ctx.memory.waiting.set(c.name, {
        reason: 'ContainerCreating',
        message: `Failed to create pod sandbox: ${errorMessage(err)}`,
      });
    }
    return result(opts.backoffInitialMs);
  }
  const facts = { podIP: sandbox.ip ?? ctx.hostIP, hostIP: ctx.hostIP, nodeName: os.hostname() };
  let volumes: Awaited<ReturnType<typeof prepareVolumes>>;
  try {
    volumes = await prepareVolumes(pod, opts, facts);
  } catch (err) {
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
      if (!live.current.get(c.name)?.running) {
        ctx.memory.waiting.set(c.name, {
          reason: 'ContainerCreating',
          message: `MountVolume failed: ${errorMessage(err)}`,
        });
      }
    }
    return result(opts.backoffInitialMs);
  }
  const policy = pod.spec.restartPolicy ?? 'Always';
  let requeue: number | undefined;
  const wake = (ms: number | undefined) => {
    if (ms !== undefined) requeue = requeue === undefined ? ms : Math.min(requeue, ms);
  };
  // Init containers: in order, each must exit 0 before the next; skipped once app containers exist.
  const initialized = pod.spec.containers.some((c) => live.current.has(c.name));
  if (!initialized) {
    for (const c of pod.spec.initContainers ?? []) {
      const snap = live.current.get(c.name);
      if (snap && !snap.running && !snap.created && snap.exitCode === 0) continue;
      if (snap?.running) return result(requeue);
      if (snap && policy === 'Never' && !snap.created) return result(requeue);
      wake(await runOrRestart(pod, c, 'init', snap, sandbox, volumes, live, ctx, 'OnFailure'));
      return result(requeue);
    }
  }
  for (const c of pod.spec.containers) {
    const snap = live.current.get(c.name);
    const upToDate = snap !== undefined && isUpToDate(snap, c, pod, sandbox);
    if (snap?.running && upToDate) {
      ctx.memory.waiting.delete(c.name);
      continue;
    }
    if (snap && !upToDate) {
      // The spec changed: replace the container now, counted as a restart, no backoff.
      if (snap.running) await stopContainer(opts.docker, snap.id, c, facts.podIP, graceMs(pod));
      await keepAsPrevious(pod, snap, live, opts);
      await startContainer(pod, c, 'app', snap.restartCount + 1, sandbox, volumes, live, ctx);
      continue;
    }
    wake(await runOrRestart(pod, c, 'app', snap, sandbox, volumes, live, ctx, policy));
  }
  return result(requeue);
}

/** Starts a container never started, or restarts an exited one when its policy and backoff allow. */
async function runOrRestart(
  pod: Pod,
  c: Container,
  role: 'init' | 'app',
  snap: ContainerSnapshot | undefined,
  sandbox: PodSandbox,
  volumes: Awaited<ReturnType<typeof prepareVolumes>>,
  live: PodLiveState,
  ctx: SyncContext,
  policy: 'Always' | 'OnFailure' | 'Never',
): Promise<number | undefined> {
  const { opts } = ctx;
  if (!snap || snap.created) {
    if (snap)
      await opts.docker
        .getContainer(snap.id)
        .remove({ force: true })
        .catch(() => undefined);
    const prev = live.previous.get(c.name);
    const started = await startContainer(
      pod,
      c,
      role,
      snap?.restartCount ?? (prev ? prev.restartCount + 1 : 0),
      sandbox,
      volumes,
      live,
      ctx,
    );
    return started ? undefined : retryIn(ctx, c.name);
  }
  if (!shouldRestart(policy, snap.exitCode)) {
    ctx.memory.waiting.delete(c.name);
    return undefined;
  }
  const finished = Date.parse(snap.finishedAt ?? '') || Date.now();
  const ranFor = finished - (Date.parse(snap.startedAt ?? '') || finished);
  const delay = restartDelayMs(
    { initialMs: opts.backoffInitialMs, maxMs: opts.backoffMaxMs, resetMs: opts.backoffResetMs },
    snap.restartCount,
    ranFor,
  );
  const left = finished + delay - Date.now();
  if (left > 0) {
    ctx.memory.waiting.set(c.name, {
      reason: 'CrashLoopBackOff',
      message: `back-off ${Math.round(delay / 1000)}s restarting failed container=${c.name} pod=${pod.metadata.name}`,
    });
    return left;
  }
  await keepAsPrevious(pod, snap, live, opts);
  const started = await startContainer(
    pod,
    c,
    role,
    snap.restartCount + 1,
    sandbox,
    volumes,
    live,
    ctx,
  );
  return started ? undefined : retryIn(ctx, c.name);
}

/**
 * Whether a container was made from this spec: its own spec-hash, and for a pod without a
 * sandbox, the pod-level settings it holds (hostname, DNS, hostPorts...) too.
 */
function isUpToDate(snap: ContainerSnapshot, c: Container, pod: Pod, sandbox: PodSandbox) {
  if (snap.specHash !== containerSpecHash(c)) return false;
  return !sandbox.alone || snap.labels[NODE_LABELS.sandboxHash] === sandboxSpecHash(pod);
}

function retryIn(ctx: SyncContext, name: string): number | undefined {
  const retry = ctx.retries.get(name);
  return retry ? Math.max(0, retry.nextTryAt - Date.now()) : undefined;
}

/** terminationGracePeriodSeconds in ms (default 30 s). */
export function graceMs(pod: Pod): number {
  return (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
}
