import type { SourceFile } from '../../source/index.js';
import { isWithin } from './render-files.js';

/**
 * The whole repository at a revision, for a source whose `path` is a subdirectory: a
 * kustomization there may list bases elsewhere in the repository (kustomize's
 * LoadRestrictionsRootOnly lets a directory holding a kustomization be a new root), never
 * outside it. `files` are repository-relative; the source's own files are relative to `path`.
 */
export interface RepositoryView {
  files: readonly SourceFile[];
  /** The source's directory in the repository, `/`-separated, `''` for the root. */
  path: string;
}

/** `path` cleaned: no `.`, no leading or trailing `/`. */
export function sourceDir(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

/**
 * The repository's files with the source's own ones (already decoded or decrypted) in place
 * of those under its path.
 */
export function repositoryFiles(
  view: RepositoryView,
  sourceFiles: readonly SourceFile[],
): SourceFile[] {
  const dir = sourceDir(view.path);
  if (dir === '') return [...sourceFiles];
  return [
    ...view.files.filter((f) => !isWithin(f.path, dir)),
    ...sourceFiles.map((f) => ({ ...f, path: `${dir}/${f.path}` })),
  ];
}

/** A repository path as the source names it: relative to the source's path (`../base/x.yaml`). */
export function fromSourceDir(dir: string, path: string): string {
  if (dir === '') return path;
  const from = dir.split('/');
  const to = path.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return [...from.slice(i).map(() => '..'), ...to.slice(i)].join('/');
}
