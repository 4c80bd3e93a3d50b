import type { SourceFile } from '../../source/index.js';
import type { ValidationResult } from '../desired-state.js';
import { compareProblems } from '../problem.js';
import { isWithin } from '../render/render-files.js';
import { type RepositoryView, sourceDir } from '../render/repository-view.js';
import type { ValidateOptions } from '../validate-options.js';
import { validateRevision } from '../validate-revision.js';
import type { AgeKeyring } from './age-keyring.js';
import { decryptRevision } from './decrypt-revision.js';

/**
 * The repository files outside the source's path, decrypted too (a base beside an overlay may
 * hold SOPS files). One that cannot be decrypted is left out of the view: a build that lists
 * it then fails naming it; its content is never read as plaintext.
 */
async function decryptOutside(
  repository: RepositoryView,
  keyring: AgeKeyring,
  options: ValidateOptions,
): Promise<RepositoryView> {
  const dir = sourceDir(repository.path);
  if (dir === '') return repository;
  const outside = repository.files.filter((f) => !isWithin(f.path, dir));
  const decrypted = await decryptRevision(outside, keyring, options);
  return { path: dir, files: decrypted.files };
}

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
  const result = validateRevision(decrypted.files, {
    ...options,
    repository: options.repository && (await decryptOutside(options.repository, keyring, options)),
  });
  if (decrypted.problems.length === 0) return result;
  return {
    ...result,
    valid: false,
    problems: [...result.problems, ...decrypted.problems].sort(compareProblems),
    state: { objects: new Map() },
  };
}
