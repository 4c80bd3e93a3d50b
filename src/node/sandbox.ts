import type Docker from 'dockerode';
import { ensureClusterNetwork } from '../network/index.js';
import { instanceFilter, LABELS } from '../runtime/index.js';
import { type ContainerSnapshot, inspectSnapshot, type PodLiveState } from './live-state.js';
import { NODE_LABELS, podNamespace, podUid, previousName } from './names.js';
import type { CompiledNodeOptions } from './node-options.js';
import type { PodIPs } from './pod-ips.js';
import type { Pod } from './pod-spec.js';
import {
  needsNoSandbox,
  type PodSandbox,
  sandboxCreateOptions,
  sandboxSpecHash,
} from './sandbox-config.js';

/**
 * Makes the pod's sandbox run with the current pod-level spec and returns it. A missing, dead
 * or outdated sandbox is replaced; then every container of the pod goes too (they lived in the
 * old namespaces): app containers are kept as their `_previous` instance so restart counts go
 * on, init containers run again. `live` is updated to match.
 *
 * With `podIPs` (network.podSandbox `whenNeeded`), Berth assigns the pod's address, and a pod
 * that {@link needsNoSandbox} gets none: its one container will hold the pod-level settings
 * and the address itself. A pod keeps the way it started (a sandbox, or none) for its life.
 */
export async function ensureSandbox(
  pod: Pod,
  live: PodLiveState,
  opts: CompiledNodeOptions,
  podIPs?: PodIPs,
): Promise<PodSandbox> {
  if (podIPs && runsAlone(pod, live)) return ensureAlone(pod, live, opts, podIPs);
  const current = live.sandbox;
  if (current?.running && current.specHash === sandboxSpecHash(pod))
    return { id: current.id, ip: current.ip };
  const { docker } = opts;
  for (const snap of [...live.current.values()]) {
    if (snap.role === 'app' && !snap.created) {
      await docker
        .getContainer(snap.id)
        .kill()
        .catch(() => undefined);
      await keepAsPrevious(pod, snap, live, opts);
    } else
      await docker
        .getContainer(snap.id)
        .remove({ force: true })
        .catch(() => undefined);
  }
  live.current.clear();
  if (current)
    await docker
      .getContainer(current.id)
      .remove({ force: true })
      .catch(() => undefined);
  await ensureNetwork(pod, opts);
  await removeNamesakes(pod, opts, podIPs);
  const ip = podIPs && !pod.spec.hostNetwork ? await podIPs.ipFor(podUid(pod)) : undefined;
  let id: string;
  try {
    const created = await docker.createContainer(sandboxCreateOptions(pod, opts, ip));
    id = created.id;
    await created.start();
  } catch (err) {
    await podStartFailed(pod, opts, err, ip, podIPs);
    throw err;
  }
  const snap = await inspectSnapshot(docker, id, opts.network);
  live.sandbox = snap;
  return { id: snap.id, ip: snap.ip };
}

/**
 * Whether the pod runs without a sandbox: the way its containers started (the pod in their
 * labels and no sandbox), or for a new pod, {@link needsNoSandbox}.
 */
function runsAlone(pod: Pod, live: PodLiveState): boolean {
  if (live.sandbox) return false;
  const existing = [...live.current.values(), ...live.previous.values()];
  if (existing.length > 0) return existing.some((s) => s.labels[NODE_LABELS.podSpec]);
  return needsNoSandbox(pod);
}

/** A pod without a sandbox: its network exists, its address is assigned. */
async function ensureAlone(
  pod: Pod,
  live: PodLiveState,
  opts: CompiledNodeOptions,
  podIPs: PodIPs,
): Promise<PodSandbox> {
  await ensureNetwork(pod, opts);
  const existing = [...live.current.values(), ...live.previous.values()];
  if (existing.length === 0) await removeNamesakes(pod, opts, podIPs);
  const ip = await podIPs.ipFor(podUid(pod));
  const startTime =
    existing.map((s) => s.labels[NODE_LABELS.podStartTime]).find(Boolean) ??
    new Date().toISOString();
  return { id: undefined, ip, alone: { ip, startTime } };
}

/**
 * A pod's first container (its sandbox, or its one container) failed to start: the cluster
 * network is looked up again next time (it may have gone: berth down, docker network rm), and
 * an address another container holds is given up for a new one.
 */
export async function podStartFailed(
  pod: Pod,
  opts: CompiledNodeOptions,
  err: unknown,
  ip: string | undefined,
  podIPs: PodIPs | undefined,
): Promise<void> {
  knownNetworks.get(opts.docker)?.delete(opts.network);
  if (ip && podIPs && /address already in use/i.test(String((err as Error)?.message)))
    await podIPs.conflict(podUid(pod), ip);
}

async function ensureNetwork(pod: Pod, opts: CompiledNodeOptions): Promise<void> {
  const { docker } = opts;
  const known = knownNetworks.get(docker) ?? new Set<string>();
  knownNetworks.set(docker, known);
  if (pod.spec.hostNetwork || known.has(opts.network)) return;
  await ensureClusterNetwork(docker, {
    name: opts.network,
    instance: opts.instance,
    ...(opts.podCIDR ? { subnet: opts.podCIDR } : {}),
  });
  known.add(opts.network);
}

/**
 * Cluster networks this process made sure of, per Docker client: a pod start costs no network
 * inspect once its network is known to exist (forgotten when a pod's first container fails to
 * start).
 */
const knownNetworks = new WeakMap<Docker, Set<string>>();

/** Keeps an exited container as the pod's `_previous` instance of it (for logs --previous). */
export async function keepAsPrevious(
  pod: Pod,
  snap: ContainerSnapshot,
  live: PodLiveState,
  opts: CompiledNodeOptions,
): Promise<void> {
  const { docker } = opts;
  const prev = live.previous.get(snap.name);
  if (prev)
    await docker
      .getContainer(prev.id)
      .remove({ force: true })
      .catch(() => undefined);
  await docker.getContainer(snap.id).rename({ name: previousName(opts.instance, pod, snap.name) });
  live.previous.set(snap.name, { ...snap, previous: true });
  live.current.delete(snap.name);
}

/**
 * Removes the containers of an older pod of the same namespace and name (another uid): the new
 * pod replaces it and takes its deterministic names (the older pod's address is free again).
 */
async function removeNamesakes(
  pod: Pod,
  opts: CompiledNodeOptions,
  podIPs: PodIPs | undefined,
): Promise<void> {
  const { docker } = opts;
  const list = await docker.listContainers({
    all: true,
    filters: JSON.stringify({
      label: [
        ...instanceFilter(opts.instance),
        `${LABELS.namespace}=${podNamespace(pod)}`,
        `${LABELS.pod}=${pod.metadata.name}`,
      ],
    }),
  });
  const uid = podUid(pod);
  const older = list.filter((c) => c.Labels[NODE_LABELS.uid] !== uid);
  await Promise.all(
    older.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  for (const c of older) podIPs?.release(c.Labels[NODE_LABELS.uid] ?? '');
}
