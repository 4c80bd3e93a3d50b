import { lstat, open, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { SourceFile } from '../source/index.js';

/**
 * Reads a directory tree from disk into the {@link SourceFile} list the loader takes (what the
 * source layer produces from git objects), for `berth validate PATH`. Symlinks are kept as
 * symlinks (content = target) so the loader applies the same rules as for a git revision.
 * Dot-files and dot-directories are skipped. A file path (not a directory) gives one file.
 * At most `maxFileBytes + 1` bytes of a file are read (default 1 MiB + 1, the loader's
 * default limit): enough for the loader to refuse it, without reading a huge file whole.
 */
export async function readDirectory(
  root: string,
  options: { maxFileBytes?: number } = {},
): Promise<SourceFile[]> {
  const cap = (options.maxFileBytes ?? 1024 * 1024) + 1;
  const readFile = async (file: string): Promise<Uint8Array> => {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(cap, (await handle.stat()).size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  };
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
