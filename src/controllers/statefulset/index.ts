// The pure parts of the StatefulSet controller: the spec it reads, one control-loop step, and
// the status.

export {
  type StatefulSetStatus,
  type StatefulSetStatusInput,
  statefulSetStatus,
} from './statefulset-status.js';
export {
  type OrdinalPod,
  type StatefulSetStep,
  type StatefulSetStepInput,
  type StatefulSetUpdateStrategy,
  statefulSetStep,
} from './statefulset-step.js';
