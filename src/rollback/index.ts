export { type RevertOptions, type RevertResult, revertCommits } from './revert-commits.js';
export { RevertConflictError } from './revert-conflict-error.js';
export { isRevertMessage, revertMessage, subjectOf } from './revert-message.js';
export { type GitDir, mergeTrees, type TreeMergeResult } from './tree-merge.js';
