import git from 'isomorphic-git';
import { gitFs } from './git-fs.js';
import type { SourceFile } from './source-file.js';

const MODES: Record<string, SourceFile['mode']> = {
  '100644': 'file',
  '100755': 'executable',
  '120000': 'symlink',
};

/**
 * Reads every file of the tree `treeSha` (a revision's `treeSha`) from git objects, never from
 * a working tree, sorted by path. Paths are relative to that tree. Submodules (gitlinks) are
 * skipped: their content is not in this repository.
 */
export async function readRevisionFiles(
  gitdir: string,
  treeSha: string,
  cache: object = {},
): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const walk = async (oid: string, prefix: string): Promise<void> => {
    const { tree } = await git.readTree({ fs: gitFs, gitdir, oid, cache });
    for (const entry of tree) {
      const path = prefix ? `${prefix}/${entry.path}` : entry.path;
      if (entry.type === 'tree') {
        await walk(entry.oid, path);
        continue;
      }
      const mode = MODES[entry.mode];
      if (entry.type !== 'blob' || mode === undefined) continue;
      const { blob } = await git.readBlob({ fs: gitFs, gitdir, oid: entry.oid, cache });
      files.push({ path, content: blob, mode });
    }
  };
  await walk(treeSha, '');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
