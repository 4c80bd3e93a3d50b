import { podFinished } from '../pod-facts.js';

/** One pod of a StatefulSet as the step sees it. */
export interface OrdinalPod {
  name: string;
  ordinal: number;
  /** Its `controller-revision-hash` label. */
  revision: string;
  phase: string;
  /** Running and Ready. */
  ready: boolean;
  /** Being deleted (deletionTimestamp set): its name is taken until its node has removed it. */
  terminating?: boolean;
}

/** How a StatefulSet replaces pods whose template is out of date. */
export type StatefulSetUpdateStrategy =
  | { type: 'RollingUpdate'; partition: number }
  | { type: 'OnDelete' };

/** What {@link statefulSetStep} decides from. */
export interface StatefulSetStepInput {
  replicas: number;
  podManagementPolicy: 'OrderedReady' | 'Parallel';
  updateStrategy: StatefulSetUpdateStrategy;
  /** The revision ordinals below the partition keep (status.currentRevision). */
  currentRevision: string;
  /** The revision of the StatefulSet's template now. */
  updateRevision: string;
  pods: readonly OrdinalPod[];
}

/** What to do now: pods to create (ordinal and revision) and pods to delete (by name). */
export interface StatefulSetStep {
  create: Array<{ ordinal: number; revision: string }>;
  delete: string[];
}

/**
 * One step of Kubernetes' StatefulSet control loop (a pure function). Pods are `<name>-<ordinal>`.
 * A finished (Succeeded or Failed) pod is deleted to be made again. OrderedReady creates ordinal
 * n only once 0..n-1 are Running and Ready and removes the highest ordinal first, one at a time,
 * only while the others are healthy; Parallel creates and removes them all at once. Then, for
 * RollingUpdate, the highest ordinal at or above the partition whose revision is out of date is
 * deleted (to come back at the update revision) once every pod above it is ready, one at a time.
 * A created pod takes the current revision below the partition, the update revision elsewhere.
 * A terminating pod (Kubernetes' isTerminating) is never deleted again and is not healthy:
 * OrderedReady waits until it is gone before going on, so its replacement (same name) starts
 * only once the old pod's containers are removed; Parallel passes it by.
 */
export function statefulSetStep(input: StatefulSetStepInput): StatefulSetStep {
  const step: StatefulSetStep = { create: [], delete: [] };
  const ordered = input.podManagementPolicy === 'OrderedReady';
  const byOrdinal = new Map(input.pods.map((p) => [p.ordinal, p]));

  // Pods for ordinals 0..replicas-1, in order.
  for (let ordinal = 0; ordinal < input.replicas; ordinal++) {
    const pod = byOrdinal.get(ordinal);
    if (!pod) {
      step.create.push({ ordinal, revision: revisionFor(input, ordinal) });
      if (ordered) return step;
      continue;
    }
    if (podFinished(pod)) {
      if (!pod.terminating) step.delete.push(pod.name);
      if (ordered) return step;
      continue;
    }
    if (!healthy(pod) && ordered) return step;
  }

  // Pods beyond the replicas, highest first.
  const condemned = input.pods
    .filter((p) => p.ordinal >= input.replicas)
    .sort((a, b) => b.ordinal - a.ordinal);
  if (condemned.length > 0) {
    if (!ordered) {
      step.delete.push(...condemned.filter((p) => !p.terminating).map((p) => p.name));
      return step;
    }
    // One at a time, each gone before the next, and only while the pods that stay are healthy.
    const staying = input.pods.filter((p) => p.ordinal < input.replicas);
    const target = condemned[0] as OrdinalPod;
    if (target.terminating || staying.some((p) => !healthy(p))) return step;
    step.delete.push(target.name);
    return step;
  }
  if (step.create.length > 0 || step.delete.length > 0) return step;

  // Rolling update: highest ordinal first, down to the partition, waiting for each to be ready.
  if (input.updateStrategy.type !== 'RollingUpdate') return step;
  const min = Math.min(input.updateStrategy.partition, input.replicas);
  for (let ordinal = input.replicas - 1; ordinal >= min; ordinal--) {
    const pod = byOrdinal.get(ordinal);
    if (!pod) return step;
    if (pod.revision !== input.updateRevision) {
      if (!pod.terminating) step.delete.push(pod.name);
      return step;
    }
    if (!healthy(pod)) return step;
  }
  return step;
}

/** Kubernetes' isHealthy: Running and Ready, and not terminating. */
function healthy(pod: OrdinalPod): boolean {
  return pod.ready && !pod.terminating;
}

/** The revision a new pod at `ordinal` gets: Kubernetes' newVersionedStatefulSetPod. */
function revisionFor(input: StatefulSetStepInput, ordinal: number): string {
  const s = input.updateStrategy;
  return s.type === 'RollingUpdate' && ordinal < s.partition
    ? input.currentRevision
    : input.updateRevision;
}
