import { constants } from 'node:fs';
import { lstat, open, readdir, readlink, stat as statFollowing } from 'node:fs/promises';
import path from 'node:path';
import type { SourceFile } from '../source/index.js';
import { BerthError } from '../util/berth-error.js';

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
    // O_NONBLOCK: a FIFO swapped in after the check must not block the read.
    const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const buffer = Buffer.alloc(Math.min(cap, (await handle.stat()).size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  };
  // The path given is followed when it is a link (a symlinked directory is validated); inside
  // it, links stay links. Only regular files are read: a FIFO or a device would block or never end.
  const stat = await statOf(root);
  if (!stat.isDirectory()) {
    if (!stat.isFile())
      throw new BerthError(
        'NotAFile',
        `${root} is not a regular file or a directory (a FIFO, socket or device is not read)`,
        { path: root },
      );
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

/** `stat` of the path given (links followed), with a clear error for a dangling link. */
async function statOf(root: string) {
  try {
    return await statFollowing(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && (await lstat(root).catch(() => null)))
      throw new BerthError('DanglingLink', `${root} is a symbolic link to nothing`, { path: root });
    throw err;
  }
}
