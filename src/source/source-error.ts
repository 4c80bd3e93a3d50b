import { BerthError } from '../util/berth-error.js';

/**
 * Stable codes of {@link SourceError}: what a source could not do.
 * - `SourceUnreachable`: the remote did not answer (connection refused, DNS, timeout).
 * - `SourceAuthFailed`: the remote refused the credentials (HTTP 401/403).
 * - `SourceRefNotFound`: the branch, tag or commit does not exist.
 * - `SourcePathNotFound`: the source's path is not a directory in that commit.
 * - `SourceRepoNotFound`: a local path is not a git repository.
 * - `SourceFetchFailed`: any other fetch failure.
 */
export type SourceErrorCode =
  | 'SourceUnreachable'
  | 'SourceAuthFailed'
  | 'SourceRefNotFound'
  | 'SourcePathNotFound'
  | 'SourceRepoNotFound'
  | 'SourceFetchFailed';

/**
 * A source could not resolve or fetch a revision. `data.source` names the source; the message
 * and data never carry a credential (remote URLs are given without userinfo).
 */
export class SourceError extends BerthError {
  declare readonly code: SourceErrorCode;

  constructor(
    code: SourceErrorCode,
    message: string,
    data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, data, options);
  }
}
