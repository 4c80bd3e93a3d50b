import { posix } from 'node:path';
import type { SourceFile } from '../../source/index.js';
import type { ValidationResult } from '../desired-state.js';
import type { Problem } from '../problem.js';
import { compareProblems } from '../problem.js';
import { isWithin } from '../render/render-files.js';
import { fromSourceDir, type RepositoryView, sourceDir } from '../render/repository-view.js';
import type { ValidateOptions } from '../validate-options.js';
import { validateRevision } from '../validate-revision.js';
import type { AgeKeyring } from './age-keyring.js';
import { decryptRevision } from './decrypt-revision.js';

/**
 * The repository files outside the source's path, decrypted too (a base beside an overlay may
 * hold SOPS files). One that cannot be decrypted is left out of the view: a build that lists
 * it then fails naming it; its content is never read as plaintext. Its problem is kept (file
 * named from the source's directory, as the build names it) for {@link decryptAndValidate}
 * to add when the build did refer to it.
 */
async function decryptOutside(
  repository: RepositoryView,
  keyring: AgeKeyring,
  options: ValidateOptions,
): Promise<{ view: RepositoryView; failed: Array<{ path: string; problem: Problem }> }> {
  const dir = sourceDir(repository.path);
  if (dir === '') return { view: repository, failed: [] };
  const outside = repository.files.filter((f) => !isWithin(f.path, dir));
  const decrypted = await decryptRevision(outside, keyring, options);
  return {
    view: { path: dir, files: decrypted.files },
    failed: decrypted.problems.map((p) => ({
      path: p.file,
      problem: { ...p, file: fromSourceDir(dir, p.file) },
    })),
  };
}

/**
 * Decrypts a revision's SOPS files, then validates it: what `validate`, `plan`, pull-request
 * review and the reconcile loop run. Decryption problems join the validation problems; any
 * of them makes the revision invalid (its state empty), so nothing of it is applied. A file
 * outside the source's path that fails to decrypt counts only when a build referred to it
 * (a problem names it): its reason is added beside the build's "doesn't exist".
 */
export async function decryptAndValidate(
  files: readonly SourceFile[],
  options: ValidateOptions,
  keyring: AgeKeyring,
): Promise<ValidationResult> {
  const decrypted = await decryptRevision(files, keyring, options);
  const outside = options.repository
    ? await decryptOutside(options.repository, keyring, options)
    : undefined;
  const result = validateRevision(decrypted.files, {
    ...options,
    repository: outside?.view,
  });
  const referred = (outside?.failed ?? [])
    .filter(({ path, problem }) => result.problems.some((p) => namesFile(p, path, problem.file)))
    .map(({ problem }) => problem);
  const problems = [...decrypted.problems, ...referred];
  if (problems.length === 0) return result;
  return {
    ...result,
    valid: false,
    problems: [...result.problems, ...problems].sort(compareProblems),
    state: { objects: new Map() },
  };
}

/**
 * Whether a build problem names a file: quoted by its repository path (`'base/secret.yaml'`)
 * or by its path relative to the kustomization the problem is in (`'app.env'`).
 */
function namesFile(problem: Problem, repoPath: string, fromSource: string): boolean {
  const relative = posix.relative(posix.dirname(problem.file), fromSource);
  return problem.message.includes(`'${repoPath}'`) || problem.message.includes(`'${relative}'`);
}
