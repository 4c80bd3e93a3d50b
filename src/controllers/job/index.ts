// The pure arithmetic of the Job controller: one step, and the status it writes.
export {
  finishedCondition,
  formatIndexes,
  type JobCondition,
  type JobStatus,
  setJobCondition,
} from './job-status.js';
export {
  type JobPod,
  type JobSettings,
  type JobStep,
  jobStep,
} from './job-step.js';
export {
  type BackoffRecord,
  backoffRecord,
  POD_BACKOFF_BASE_MS,
  POD_BACKOFF_MAX_MS,
  remainingBackoffMs,
} from './pod-backoff.js';
