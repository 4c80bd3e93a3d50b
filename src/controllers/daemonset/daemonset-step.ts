import { type PodFacts, podFinished } from '../pod-facts.js';

/** How a DaemonSet replaces its pod when the template changes. */
export type DaemonSetUpdateStrategy =
  | { type: 'RollingUpdate'; maxSurge: number; maxUnavailable: number }
  | { type: 'OnDelete' };

/** What {@link daemonSetStep} decides from: the pods of the DaemonSet on this host. */
export interface DaemonSetStepInput {
  /** The `controller-revision-hash` of the template now. */
  revision: string;
  strategy: DaemonSetUpdateStrategy;
  pods: ReadonlyArray<PodFacts & { revision: string; available: boolean }>;
}

/** What to do now: whether to create a pod of the current template, and which pods to delete. */
export interface DaemonSetStep {
  create: boolean;
  delete: string[];
}

/**
 * One step of a DaemonSet on the one host Berth runs (a pure function): exactly one pod. A
 * finished pod is deleted to be replaced; a missing pod is created. RollingUpdate with maxSurge
 * starts the updated pod beside the old one and deletes the old one once the new is available;
 * without surge it deletes the old pod first (maxUnavailable, at least 1 on one host), and the
 * next step creates the new one. OnDelete replaces a pod only when someone deletes it. Extra pods
 * of the same revision are deleted, the available and oldest kept. A terminating pod is never
 * deleted again, and no pod is created while one terminates with none other running.
 */
export function daemonSetStep(input: DaemonSetStepInput): DaemonSetStep {
  const step: DaemonSetStep = { create: false, delete: [] };
  const live = input.pods.filter((p) => {
    if (p.terminating) return false;
    if (podFinished(p)) step.delete.push(p.name);
    return !podFinished(p);
  });
  decide(input, live, step);
  // A pod still terminating holds the host until it is gone (Kubernetes creates a daemon pod
  // only on a node with none, terminating ones included); only a surge starts one beside it.
  if (step.create && live.length === 0 && input.pods.some((p) => p.terminating))
    step.create = false;
  return step;
}

function decide(
  input: DaemonSetStepInput,
  live: DaemonSetStepInput['pods'],
  step: DaemonSetStep,
): DaemonSetStep {
  const updated = keepOne(
    live.filter((p) => p.revision === input.revision),
    step,
  );
  const old = live.filter((p) => p.revision !== input.revision);
  if (input.strategy.type === 'OnDelete') {
    if (updated) step.delete.push(...old.map((p) => p.name));
    else if (keepOne(old, step) === undefined) step.create = true;
    return step;
  }
  if (old.length === 0) {
    step.create = updated === undefined;
    return step;
  }
  if (updated) {
    if (updated.available || input.strategy.maxSurge === 0)
      step.delete.push(...old.map((p) => p.name));
    return step;
  }
  if (input.strategy.maxSurge > 0) step.create = true;
  else step.delete.push(...old.map((p) => p.name));
  return step;
}

/** The pod to keep among several of one revision (available, then oldest); the rest go. */
function keepOne<P extends PodFacts & { available: boolean }>(
  pods: readonly P[],
  step: DaemonSetStep,
): P | undefined {
  const sorted = [...pods].sort(
    (a, b) => Number(b.available) - Number(a.available) || a.createdAt.localeCompare(b.createdAt),
  );
  step.delete.push(...sorted.slice(1).map((p) => p.name));
  return sorted[0];
}
