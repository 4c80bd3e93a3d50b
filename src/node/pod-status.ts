import {
  type ContainerSnapshot,
  livePodIP,
  livePodStartTime,
  type PodLiveState,
} from './live-state.js';
import type {
  Container,
  ContainerState,
  ContainerStatus,
  Pod,
  PodCondition,
  PodStatus,
} from './pod-spec.js';
import type { ProbeState } from './prober.js';

/** What the pod worker knows beside Docker: reasons a container waits, probe results. */
export interface PodMemory {
  /** Why a container is not running yet (ErrImagePull, CrashLoopBackOff, CreateContainerConfigError...). */
  waiting: Map<string, { reason: string; message: string }>;
  /** Probe state of the current instance of each running container. */
  probes: Map<string, ProbeState>;
}

/** An empty {@link PodMemory}. */
export function emptyMemory(): PodMemory {
  return { waiting: new Map(), probes: new Map() };
}

/**
 * Computes a pod's status the way the kubelet reports it, from Docker's live state and the
 * worker's memory (a pure function): phase, conditions (PodScheduled, Initialized,
 * ContainersReady, Ready), init and app container statuses with state, lastState, reasons
 * (ContainerCreating, PodInitializing, CrashLoopBackOff, ImagePullBackOff, Completed, Error,
 * OOMKilled), exit codes, restart counts, and the pod IP.
 */
export function computePodStatus(
  pod: Pod,
  live: PodLiveState,
  memory: PodMemory,
  hostIP: string,
): PodStatus {
  const policy = pod.spec.restartPolicy ?? 'Always';
  const inits = pod.spec.initContainers ?? [];
  const initStatuses = inits.map((c) => containerStatus(c, live, memory, true, false));
  const anyAppCreated = pod.spec.containers.some((c) => live.current.has(c.name));
  const initialized =
    anyAppCreated || initStatuses.every((s) => s.state.terminated?.exitCode === 0);
  const appStatuses = pod.spec.containers.map((c) =>
    containerStatus(c, live, memory, false, initialized),
  );
  const initFailed = initStatuses.some(
    (s) => s.state.terminated && s.state.terminated.exitCode !== 0 && policy === 'Never',
  );
  const terminated = appStatuses.map((s) => s.state.terminated);
  const allTerminated = appStatuses.length > 0 && terminated.every((t) => t !== undefined);
  const anyFailed = terminated.some((t) => t && t.exitCode !== 0);
  let phase: PodStatus['phase'] = 'Pending';
  if (initFailed) phase = 'Failed';
  else if (allTerminated && policy === 'Never') phase = anyFailed ? 'Failed' : 'Succeeded';
  else if (allTerminated && policy === 'OnFailure' && !anyFailed) phase = 'Succeeded';
  else if (
    initialized &&
    appStatuses.every((s) => s.state.running || s.state.terminated || s.lastState.terminated)
  )
    phase = 'Running';
  const containersReady = appStatuses.every((s) => s.ready);
  const finished = phase === 'Succeeded' || phase === 'Failed';
  const podIP = pod.spec.hostNetwork
    ? hostIP
    : finished && !live.sandbox
      ? undefined
      : livePodIP(live);
  const startTime = livePodStartTime(live);
  const notReady = appStatuses.filter((s) => !s.ready).map((s) => s.name);
  const readyMessage = notReady.length
    ? `containers with unready status: [${notReady.join(' ')}]`
    : undefined;
  const pendingInit = initStatuses
    .filter((s) => s.state.terminated?.exitCode !== 0)
    .map((s) => s.name);
  const conditions: PodCondition[] = [
    { type: 'PodScheduled', status: 'True' },
    cond(
      'Initialized',
      initialized,
      'ContainersNotInitialized',
      initialized ? undefined : `containers with incomplete status: [${pendingInit.join(' ')}]`,
    ),
    cond('ContainersReady', containersReady, 'ContainersNotReady', readyMessage),
    cond('Ready', containersReady, 'ContainersNotReady', readyMessage),
  ];
  return {
    phase,
    conditions,
    hostIP,
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    ...(startTime ? { startTime } : {}),
    initContainerStatuses: initStatuses,
    containerStatuses: appStatuses,
  };
}

function cond(
  type: PodCondition['type'],
  ok: boolean,
  reason: string,
  message: string | undefined,
): PodCondition {
  return ok
    ? { type, status: 'True' }
    : { type, status: 'False', reason, ...(message ? { message } : {}) };
}

function containerStatus(
  c: Container,
  live: PodLiveState,
  memory: PodMemory,
  init: boolean,
  initialized: boolean,
): ContainerStatus {
  const snap = live.current.get(c.name);
  const prev = live.previous.get(c.name);
  const waiting = memory.waiting.get(c.name);
  const probe = memory.probes.get(c.name);
  let state: ContainerState;
  let lastState: ContainerState = prev ? { terminated: terminatedState(prev) } : {};
  if (snap?.running && !waiting) {
    state = { running: { ...(snap.startedAt ? { startedAt: snap.startedAt } : {}) } };
  } else if (snap && !snap.running && !snap.created && snap.finishedAt) {
    if (waiting) {
      state = { waiting };
      lastState = { terminated: terminatedState(snap) };
    } else state = { terminated: terminatedState(snap) };
  } else {
    state = {
      waiting: waiting ?? {
        reason: init || !initialized ? 'PodInitializing' : 'ContainerCreating',
      },
    };
  }
  const running = Boolean(state.running);
  return {
    name: c.name,
    state,
    lastState,
    ready: running && !init && (probe ? probe.ready : !c.readinessProbe && !c.startupProbe),
    started: running && (probe ? probe.started : !c.startupProbe),
    restartCount: snap?.restartCount ?? (prev ? prev.restartCount + 1 : 0),
    image: c.image,
    imageID: snap?.imageRef ?? '',
    ...(snap ? { containerID: `docker://${snap.id}` } : {}),
  };
}

function terminatedState(s: ContainerSnapshot): NonNullable<ContainerState['terminated']> {
  return {
    exitCode: s.exitCode,
    reason: s.oomKilled ? 'OOMKilled' : s.exitCode === 0 ? 'Completed' : 'Error',
    ...(s.terminationMessage || s.error ? { message: s.terminationMessage || s.error } : {}),
    ...(s.startedAt ? { startedAt: s.startedAt } : {}),
    ...(s.finishedAt ? { finishedAt: s.finishedAt } : {}),
    containerID: `docker://${s.id}`,
  };
}
