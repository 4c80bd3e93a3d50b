import { BerthError } from '../util/berth-error.js';

/** Why a rollback could not be committed or published. */
export type RollbackErrorCode =
  /** The source follows a tag or a pinned commit: there is no branch to commit a revert to. */
  | 'RollbackNotABranch'
  /** The local working tree has uncommitted changes on the branch: Berth will not overwrite them. */
  | 'RollbackDirtyWorktree'
  /** The branch moved while the revert was being made (a push or commit came first). */
  | 'RollbackBranchMoved'
  /** The remote refused the push: the credentials may read but not write. */
  | 'RollbackPushDenied'
  /** The remote could not be reached or answered an error. */
  | 'RollbackPushFailed';

/** A rollback failed; no ref moved. Messages never carry a credential. */
export class RollbackError extends BerthError {
  declare readonly code: RollbackErrorCode;

  constructor(
    code: RollbackErrorCode,
    message: string,
    data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, data, options);
  }
}
