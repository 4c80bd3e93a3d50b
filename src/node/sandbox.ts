import { ensureClusterNetwork } from '../network/index.js';
import { instanceFilter, LABELS } from '../runtime/index.js';
import { type ContainerSnapshot, inspectSnapshot, type PodLiveState } from './live-state.js';
import { NODE_LABELS, podNamespace, podUid, previousName } from './names.js';
import type { CompiledNodeOptions } from './node-options.js';
import type { Pod } from './pod-spec.js';
import { sandboxCreateOptions, sandboxSpecHash } from './sandbox-config.js';

/**
 * Makes the pod's sandbox run with the current pod-level spec and returns it. A missing, dead
 * or outdated sandbox is replaced; then every container of the pod goes too (they lived in the
 * old namespaces): app containers are kept as their `_previous` instance so restart counts go
 * on, init containers run again. `live` is updated to match.
 */
export async function ensureSandbox(
  pod: Pod,
  live: PodLiveState,
  opts: CompiledNodeOptions,
): Promise<ContainerSnapshot> {
  const current = live.sandbox;
  if (current?.running && current.specHash === sandboxSpecHash(pod)) return current;
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
  const known = knownNetworks.get(docker) ?? new Set<string>();
  knownNetworks.set(docker, known);
  if (!pod.spec.hostNetwork && !known.has(opts.network)) {
    await ensureClusterNetwork(docker, {
      name: opts.network,
      instance: opts.instance,
      ...(opts.podCIDR ? { subnet: opts.podCIDR } : {}),
    });
    known.add(opts.network);
  }
  await removeNamesakes(pod, opts);
  let id: string;
  try {
    const created = await docker.createContainer(sandboxCreateOptions(pod, opts));
    id = created.id;
    await created.start();
  } catch (err) {
    // The network may have gone (berth down, docker network rm): look again next time.
    known.delete(opts.network);
    throw err;
  }
  const snap = await inspectSnapshot(docker, id, opts.network);
  live.sandbox = snap;
  return snap;
}

/**
 * Cluster networks this process made sure of, per Docker client: a pod start costs no network
 * inspect once its network is known to exist (forgotten when a sandbox fails to start).
 */
const knownNetworks = new WeakMap<object, Set<string>>();

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
 * pod replaces it and takes its deterministic names.
 */
async function removeNamesakes(pod: Pod, opts: CompiledNodeOptions): Promise<void> {
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
  await Promise.all(
    list
      .filter((c) => c.Labels[NODE_LABELS.uid] !== uid)
      .map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
  );
}
