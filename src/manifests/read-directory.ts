import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { SourceFile } from '../source/index.js';

/**
 * Reads a directory tree from disk into the {@link SourceFile} list the loader takes (what the
 * source layer produces from git objects), for `berth validate PATH`. Symlinks are kept as
 * symlinks (content = target) so the loader applies the same rules as for a git revision.
 * Dot-files and dot-directories are skipped. A file path (not a directory) gives one file.
 */
export async function readDirectory(root: string): Promise<SourceFile[]> {
  const stat = await lstat(root);
  if (!stat.isDirectory()) {
    return [{ path: path.basename(root), content: await readFile(root), mode: 'file' }];
  }
  const files: SourceFile[] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) await walk(full, relPath);
      else if (entry.isSymbolicLink()) {
        const target = await readlink(full);
        files.push({ path: relPath, content: new TextEncoder().encode(target), mode: 'symlink' });
      } else if (entry.isFile()) {
        const mode = ((await lstat(full)).mode & 0o111) !== 0 ? 'executable' : 'file';
        files.push({ path: relPath, content: await readFile(full), mode });
      }
    }
  }
  await walk(root, '');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
