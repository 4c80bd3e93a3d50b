import { BerthError } from '../../util/berth-error.js';

/** Why a SOPS file could not be decrypted: stable, for programs and tests. */
export type SopsFailure =
  /** The file is not well-formed (YAML, JSON, dotenv) or its tree is not what sops writes. */
  | 'format'
  /** The `sops` metadata is missing or malformed. */
  | 'metadata'
  /** No configured age identity unwraps the data key (sops exit code 128). */
  | 'no-key'
  /** A value fails to decrypt: tampered, moved or renamed (sops exit code 25). */
  | 'value'
  /** The stored MAC fails to decrypt: `lastmodified` or `mac` changed (sops exit code 51). */
  | 'mac-undecryptable'
  /** The file has no MAC (sops exit code 51; Berth never ignores the MAC). */
  | 'no-mac'
  /** The MAC over the values differs from the stored one (sops exit code 51). */
  | 'mac-mismatch'
  /** A sops feature Berth does not implement (key groups, PGP/KMS-only files, ...). */
  | 'unsupported'
  /** A bound (depth, aliases) was exceeded. */
  | 'limit';

/**
 * A SOPS file that cannot be decrypted and verified. `line`/`column` (1-based) point at the
 * value, key or metadata field at fault. Messages never hold a plaintext, a key or a MAC.
 */
export class SopsError extends BerthError {
  readonly failure: SopsFailure;
  readonly line: number;
  readonly column: number;

  constructor(
    failure: SopsFailure,
    message: string,
    at: { line: number; column: number } = { line: 1, column: 1 },
    data: Record<string, unknown> = {},
  ) {
    super('SOPS_DECRYPT', message, { failure, line: at.line, column: at.column, ...data });
    this.failure = failure;
    this.line = at.line;
    this.column = at.column;
  }
}
