// The pure arithmetic of the DaemonSet controller: one step on the one host, and the status.
export { type DaemonSetStatus, daemonSetStatus } from './daemonset-status.js';
export {
  type DaemonSetStep,
  type DaemonSetStepInput,
  type DaemonSetUpdateStrategy,
  daemonSetStep,
} from './daemonset-step.js';
