import { open } from 'node:fs/promises';
import type Docker from 'dockerode';
import { instanceFilter, LABELS } from '../runtime/index.js';
import { containerImageID } from './image-id.js';
import { isPreviousName, NODE_LABELS } from './names.js';

/** One Docker container of a pod, as read from Docker (inspect). */
export interface ContainerSnapshot {
  id: string;
  dockerName: string;
  /** The pod container's name (`POD` for the sandbox). */
  name: string;
  role: 'sandbox' | 'init' | 'app';
  specHash: string;
  restartCount: number;
  previous: boolean;
  running: boolean;
  /** Created but never started. */
  created: boolean;
  exitCode: number;
  oomKilled: boolean;
  error: string;
  startedAt: string | undefined;
  finishedAt: string | undefined;
  image: string;
  /** The local image ID (`sha256:...`). */
  imageId: string;
  /** The kubelet's imageID: `docker-pullable://<repo>@<digest>`, else `docker://<image ID>`. */
  imageRef: string;
  labels: Record<string, string>;
  /** IP on the cluster network while it runs (the sandbox, or the container of a pod without one). */
  ip: string | undefined;
  /** What an exited container wrote to its terminationMessagePath (or its log tail, by policy). */
  terminationMessage: string;
}

/** A pod's containers in Docker: the sandbox, the current instance and the kept previous one of each. */
export interface PodLiveState {
  sandbox: ContainerSnapshot | undefined;
  current: Map<string, ContainerSnapshot>;
  previous: Map<string, ContainerSnapshot>;
}

/**
 * The container of a pod without a sandbox (it carries the pod in its labels): the current one,
 * else the kept previous one. Undefined for a pod with a sandbox.
 */
export function aloneContainer(live: PodLiveState): ContainerSnapshot | undefined {
  if (live.sandbox) return undefined;
  return [...live.current.values(), ...live.previous.values()].find(
    (s) => s.labels[NODE_LABELS.podSpec] !== undefined,
  );
}

/**
 * The pod's IP as its containers show it: its running sandbox's, or the address Berth assigned
 * a pod without a sandbox (kept across its container's restarts, as a sandbox keeps it).
 */
export function livePodIP(live: PodLiveState): string | undefined {
  if (live.sandbox) return live.sandbox.running ? live.sandbox.ip : undefined;
  return aloneContainer(live)?.labels[NODE_LABELS.podIP];
}

/** When the pod started: its sandbox's start, or the first start of a pod without one. */
export function livePodStartTime(live: PodLiveState): string | undefined {
  if (live.sandbox) return live.sandbox.startedAt;
  return aloneContainer(live)?.labels[NODE_LABELS.podStartTime];
}

/** Reads the live state of the pod with this uid from Docker labels and inspect. */
export async function readPodState(
  docker: Docker,
  instance: string,
  uid: string,
  network: string,
): Promise<PodLiveState> {
  const list = await docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [...instanceFilter(instance), `${NODE_LABELS.uid}=${uid}`] }),
  });
  const state: PodLiveState = { sandbox: undefined, current: new Map(), previous: new Map() };
  const snapshots = await Promise.all(
    list.map((c) => inspectSnapshot(docker, c.Id, network).catch(() => undefined)),
  );
  for (const snap of snapshots) {
    if (!snap) continue;
    if (snap.role === 'sandbox') {
      if (!state.sandbox || snap.running) state.sandbox = snap;
    } else (snap.previous ? state.previous : state.current).set(snap.name, snap);
  }
  return state;
}

const OOM_EVENT_WAIT_MS = 300;

/** Exited by SIGKILL (137) under a memory limit, not marked OOM-killed, less than 2 s ago. */
function mayAwaitOomEvent(info: Docker.ContainerInspectInfo): boolean {
  const s = info.State;
  if (s.Running || s.ExitCode !== 137 || s.OOMKilled || !(info.HostConfig.Memory ?? 0))
    return false;
  return Date.now() - Date.parse(s.FinishedAt) < 2000;
}

/** Inspects one container into a {@link ContainerSnapshot}. */
export async function inspectSnapshot(
  docker: Docker,
  id: string,
  network: string,
): Promise<ContainerSnapshot> {
  let info = await docker.getContainer(id).inspect();
  if (mayAwaitOomEvent(info)) {
    // Docker records an OOM kill from its own event, which can land just after the exit: a
    // container that has just died by SIGKILL under a memory limit is looked at once more.
    await new Promise((r) => setTimeout(r, OOM_EVENT_WAIT_MS));
    info = await docker.getContainer(id).inspect();
  }
  const labels = info.Config.Labels ?? {};
  const s = info.State;
  const networks = info.NetworkSettings.Networks ?? {};
  return {
    id: info.Id,
    dockerName: info.Name.replace(/^\//, ''),
    name: labels[LABELS.container] ?? '',
    role: (labels[NODE_LABELS.role] ?? 'app') as ContainerSnapshot['role'],
    specHash: labels[LABELS.specHash] ?? '',
    restartCount: Number(labels[NODE_LABELS.restartCount] ?? 0),
    previous: isPreviousName(info.Name),
    running: s.Running || s.Restarting,
    created: s.Status === 'created',
    exitCode: s.ExitCode,
    oomKilled: s.OOMKilled,
    error: s.Error ?? '',
    startedAt: dockerTime(s.StartedAt),
    finishedAt: dockerTime(s.FinishedAt),
    image: info.Config.Image,
    imageId: info.Image,
    imageRef: await containerImageID(docker, info.Image, info.Config.Image),
    labels,
    ip: networks[network]?.IPAddress || undefined,
    terminationMessage: s.Running
      ? ''
      : await terminationMessage(docker, info.Id, labels, s.ExitCode),
  };
}

/**
 * The kubelet's termination message: the file at terminationMessagePath (at most 4 KiB); with
 * `FallbackToLogsOnError`, the last 80 lines (at most 2 KiB) of output when the file is empty
 * and the container failed.
 */
async function terminationMessage(
  docker: Docker,
  id: string,
  labels: Record<string, string>,
  exitCode: number,
): Promise<string> {
  const file = labels[NODE_LABELS.terminationLog];
  const text = file ? await readHead(file, 4096) : '';
  if (text || exitCode === 0) return text;
  const spec = labels[NODE_LABELS.containerSpec];
  const policy = spec
    ? (JSON.parse(spec) as { terminationMessagePolicy?: string }).terminationMessagePolicy
    : undefined;
  if (policy !== 'FallbackToLogsOnError') return '';
  const logs = (await docker
    .getContainer(id)
    .logs({ stdout: true, stderr: true, tail: 80, follow: false })
    .catch(() => Buffer.alloc(0))) as unknown as Buffer;
  return stripFrames(logs).slice(-2048);
}

async function readHead(file: string, max: number): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await handle.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Docker log frames (8-byte headers) as plain text. */
function stripFrames(buf: Buffer): string {
  let out = '';
  let i = 0;
  while (i + 8 <= buf.length && buf[i + 1] === 0 && buf[i + 2] === 0 && buf[i + 3] === 0) {
    const size = buf.readUInt32BE(i + 4);
    out += buf.subarray(i + 8, i + 8 + size).toString('utf8');
    i += 8 + size;
  }
  return i === 0 ? buf.toString('utf8') : out;
}

/** Docker's zero time (`0001-01-01...`) means "never". */
function dockerTime(t: string | undefined): string | undefined {
  return !t || t.startsWith('0001-') ? undefined : t;
}
