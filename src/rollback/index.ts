export { pushBranch } from './advance-branch.js';
export { advanceLocalBranch } from './local-branch.js';
export { type RevertOptions, type RevertResult, revertCommits } from './revert-commits.js';
export { RevertConflictError } from './revert-conflict-error.js';
export { isRevertMessage, revertMessage, subjectOf } from './revert-message.js';
export { RollbackError, type RollbackErrorCode } from './rollback-error.js';
export { type RollbackOptions, type RollbackResult, rollbackSource } from './rollback-source.js';
export { type GitDir, mergeTrees, type TreeMergeResult } from './tree-merge.js';
export { type CommitToWrite, writeCommit } from './write-commit.js';
