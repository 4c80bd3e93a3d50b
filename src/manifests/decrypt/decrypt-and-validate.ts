import type { SourceFile } from '../../source/index.js';
import type { ValidationResult } from '../desired-state.js';
import { compareProblems } from '../problem.js';
import type { ValidateOptions } from '../validate-options.js';
import { validateRevision } from '../validate-revision.js';
import type { AgeKeyring } from './age-keyring.js';
import { decryptRevision } from './decrypt-revision.js';

/**
 * Decrypts a revision's SOPS files, then validates it: what `validate`, `plan`, pull-request
 * review and the reconcile loop run. Decryption problems join the validation problems; any
 * of them makes the revision invalid (its state empty), so nothing of it is applied.
 */
export async function decryptAndValidate(
  files: readonly SourceFile[],
  options: ValidateOptions,
  keyring: AgeKeyring,
): Promise<ValidationResult> {
  const decrypted = await decryptRevision(files, keyring, options);
  const result = validateRevision(decrypted.files, options);
  if (decrypted.problems.length === 0) return result;
  return {
    ...result,
    valid: false,
    problems: [...result.problems, ...decrypted.problems].sort(compareProblems),
    state: { objects: new Map() },
  };
}
