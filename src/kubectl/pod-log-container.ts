import type Docker from 'dockerode';
import { isPreviousName, NODE_LABELS } from '../node/index.js';
import { instanceFilter, LABELS } from '../runtime/index.js';

/** Which container's logs to read, as `kubectl logs` chooses it. */
export interface PodLogQuery {
  instance: string;
  namespace: string;
  pod: string;
  /** Default: the only container, else the first in the pod spec. */
  container?: string;
  /** The previous (exited) instance of the container. */
  previous?: boolean;
}

/** The container found, or why not, in kubectl's words (`NotFound` answers 404, the rest 400). */
export type PodLogTarget =
  | { id: string; container: string; containers: string[]; defaulted: boolean }
  | { problem: 'NotFound' | 'BadContainer' | 'NotStarted'; message: string };

/** Finds the Docker container of a pod's container (`berth logs`, the API's pod logs). */
export async function findPodLogContainer(docker: Docker, q: PodLogQuery): Promise<PodLogTarget> {
  const list = await docker.listContainers({
    all: true,
    filters: JSON.stringify({
      label: [
        ...instanceFilter(q.instance),
        `${LABELS.namespace}=${q.namespace}`,
        `${LABELS.pod}=${q.pod}`,
      ],
    }),
  });
  if (list.length === 0) {
    return {
      problem: 'NotFound',
      message: `pods "${q.pod}" not found in namespace "${q.namespace}"`,
    };
  }
  const containers = list.filter((c) => c.Labels[NODE_LABELS.role] !== 'sandbox');
  const names = specOrder(list, containers);
  const all = [
    ...new Set([...names, ...containers.map((c) => c.Labels[LABELS.container] as string)]),
  ];
  const name = q.container ?? names[0];
  if (!name || !all.includes(name)) {
    return {
      problem: 'BadContainer',
      message: `container ${name ?? '(none)'} is not valid for pod ${q.pod}; choose one of: [${all.join(' ')}]`,
    };
  }
  const isPrevious = (c: (typeof containers)[number]) => c.Names.some(isPreviousName);
  const target = containers.find(
    (c) => c.Labels[LABELS.container] === name && isPrevious(c) === Boolean(q.previous),
  );
  if (!target) {
    return {
      problem: 'NotStarted',
      message: q.previous
        ? `previous terminated container "${name}" in pod "${q.pod}" not found`
        : `container "${name}" in pod "${q.pod}" is waiting to start`,
    };
  }
  return {
    id: target.Id,
    container: name,
    containers: names,
    defaulted: q.container === undefined && names.length > 1,
  };
}

/** App container names in the pod spec's order (from the sandbox's label), else Docker's. */
function specOrder(
  list: Array<{ Labels: Record<string, string> }>,
  containers: Array<{ Labels: Record<string, string> }>,
): string[] {
  const spec = list.find((c) => c.Labels[NODE_LABELS.podSpec])?.Labels[NODE_LABELS.podSpec];
  if (spec) {
    const pod = JSON.parse(spec) as { spec: { containers: Array<{ name: string }> } };
    return pod.spec.containers.map((c) => c.name);
  }
  return [
    ...new Set(
      containers
        .filter((c) => c.Labels[NODE_LABELS.role] === 'app')
        .map((c) => c.Labels[LABELS.container] as string),
    ),
  ];
}
