import path from 'node:path';
import type { SourceFile } from '../source/index.js';

/** A file of the revision after symlinks are resolved, or why it cannot be read. */
export type ResolvedFile =
  | { path: string; content: Uint8Array; linkedFrom?: string }
  | { path: string; error: string; severity: 'error' | 'warning' };

const MAX_HOPS = 40;

/**
 * Resolves a symlink of the file set inside the file set: a link (or chain of links) to a
 * file gives that file's content under the link's path. A link that leaves the source path
 * (absolute, or `..` above the root), dangles or loops is an error; a link to a directory is
 * not followed (warning): the files it points at are read under their own paths already.
 */
export function resolveSymlink(
  link: SourceFile,
  byPath: ReadonlyMap<string, SourceFile>,
): ResolvedFile {
  let current = link;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    if (current.mode !== 'symlink')
      return { path: link.path, content: current.content, linkedFrom: current.path };
    const target = new TextDecoder().decode(current.content);
    if (path.posix.isAbsolute(target)) {
      return {
        path: link.path,
        severity: 'error',
        error: `symlink to "${target}" points outside the source path: refused`,
      };
    }
    const resolved = path.posix.normalize(
      path.posix.join(path.posix.dirname(current.path), target),
    );
    if (resolved === '..' || resolved.startsWith('../')) {
      return {
        path: link.path,
        severity: 'error',
        error: `symlink to "${target}" points outside the source path: refused`,
      };
    }
    const next = byPath.get(resolved);
    if (!next) {
      const prefix = `${resolved}/`;
      for (const p of byPath.keys()) {
        if (p.startsWith(prefix)) {
          return {
            path: link.path,
            severity: 'warning',
            error: `symlink to the directory "${target}" is not followed`,
          };
        }
      }
      return {
        path: link.path,
        severity: 'error',
        error: `symlink to "${target}" points at nothing in the source path`,
      };
    }
    current = next;
  }
  return {
    path: link.path,
    severity: 'error',
    error: `symlink loop (more than ${MAX_HOPS} links)`,
  };
}
