import { createHash } from 'node:crypto';
import { LABELS } from '../runtime/index.js';
import type { Pod } from './pod-spec.js';

/** The name of the sandbox pseudo-container in names and labels, as the kubelet's `POD`. */
export const SANDBOX = 'POD';

/** Extra labels the node layer puts on containers, beside {@link LABELS}. */
export const NODE_LABELS = {
  uid: 'io.berth.pod-uid',
  /** `init`, `app` or `sandbox`. */
  role: 'io.berth.container-role',
  restartCount: 'io.berth.restart-count',
  /**
   * JSON of the pod, on the sandbox (or the one container of a pod without one): what
   * `listPods()` rebuilds pods from.
   */
  podSpec: 'io.berth.pod-spec',
  /** The pod's IP when Berth assigned it (network.podSandbox `whenNeeded`). */
  podIP: 'io.berth.pod-ip',
  /** On the container of a pod without a sandbox: the sandbox spec-hash its pod-level settings have. */
  sandboxHash: 'io.berth.sandbox-hash',
  /** On the container of a pod without a sandbox: when the pod first started (its startTime). */
  podStartTime: 'io.berth.pod-start-time',
  /** JSON of the container's spec, on each container: adoption recreates nothing that did not change. */
  containerSpec: 'io.berth.container-spec',
  /** Host path of the file mounted at terminationMessagePath. */
  terminationLog: 'io.berth.termination-log',
} as const;

/** The pod's namespace, `default` when unset. */
export function podNamespace(pod: Pod): string {
  return pod.metadata.namespace ?? 'default';
}

/** A stable identity: `metadata.uid` when given, else derived from namespace and name. */
export function podUid(pod: Pod): string {
  return pod.metadata.uid ?? hash(`${podNamespace(pod)}/${pod.metadata.name}`).slice(0, 16);
}

/** `<instance>_<namespace>_<pod>_<container>`; the sandbox is `<instance>_<namespace>_<pod>_POD`. */
export function containerName(instance: string, pod: Pod, container: string): string {
  return `${instance}_${podNamespace(pod)}_${pod.metadata.name}_${container}`;
}

/**
 * Whether a Docker container name (with or without Docker's leading `/`) is a kept previous
 * instance ({@link previousName}): Docker labels cannot change after create, so the name is
 * what marks it.
 */
export function isPreviousName(name: string): boolean {
  return name.endsWith('_previous');
}

/** The name the last exited instance of a container is kept under. */
export function previousName(instance: string, pod: Pod, container: string): string {
  return `${containerName(instance, pod, container)}_previous`;
}

/** Labels of every Docker object of one pod. */
export function podLabels(instance: string, pod: Pod): Record<string, string> {
  return {
    [LABELS.managed]: 'true',
    [LABELS.instance]: instance,
    [LABELS.namespace]: podNamespace(pod),
    [LABELS.kind]: 'Pod',
    [LABELS.name]: pod.metadata.name,
    [LABELS.pod]: pod.metadata.name,
    [NODE_LABELS.uid]: podUid(pod),
  };
}

/** A short, stable hash of any JSON value (the spec-hash label). */
export function specHash(value: unknown): string {
  return hash(JSON.stringify(value)).slice(0, 16);
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
