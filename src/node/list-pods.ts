import type Docker from 'dockerode';
import { instanceFilter, LABELS } from '../runtime/index.js';
import { isPreviousName, NODE_LABELS } from './names.js';
import type { Container, Pod } from './pod-spec.js';

/**
 * Every pod of this Berth instance, rebuilt from Docker labels alone (a Berth restart needs
 * nothing else): the pod from its sandbox's `io.berth.pod-spec` label (or that of the one
 * container of a pod without a sandbox), each container's spec
 * from the `io.berth.container-spec` label of its current instance (newer than the sandbox's
 * when only a container changed).
 */
export async function listPods(docker: Docker, instance: string): Promise<Pod[]> {
  const containers = await docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [...instanceFilter(instance), `${LABELS.kind}=Pod`] }),
  });
  const pods = new Map<string, Pod>();
  const specs = new Map<string, Map<string, Container>>();
  for (const c of containers) {
    const labels = c.Labels ?? {};
    const uid = labels[NODE_LABELS.uid] ?? '';
    const podSpec = labels[NODE_LABELS.podSpec];
    const containerSpec = labels[NODE_LABELS.containerSpec];
    const previous = c.Names.some(isPreviousName);
    if (podSpec && (labels[NODE_LABELS.role] === 'sandbox' || !previous || !pods.has(uid))) {
      // A sandbox, or the container of a pod without one (its current instance wins over a
      // kept previous one, which may hold an older pod-level spec).
      pods.set(uid, JSON.parse(podSpec) as Pod);
    }
    if (labels[NODE_LABELS.role] !== 'sandbox' && containerSpec && !previous) {
      const byName = specs.get(uid) ?? new Map<string, Container>();
      const spec = JSON.parse(containerSpec) as Container;
      byName.set(spec.name, spec);
      specs.set(uid, byName);
    }
  }
  for (const [uid, pod] of pods) {
    const byName = specs.get(uid);
    if (!byName) continue;
    pod.spec.containers = pod.spec.containers.map((c) => byName.get(c.name) ?? c);
    pod.spec.initContainers = pod.spec.initContainers?.map((c) => byName.get(c.name) ?? c);
  }
  return [...pods.values()];
}
