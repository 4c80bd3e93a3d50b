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
  POD_BACKOFF_BASE_MS,
  POD_BACKOFF_MAX_MS,
} from './job-step.js';
