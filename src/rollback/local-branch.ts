import { constants as fsc, promises as fsp } from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import { gitFs } from '../source/index.js';
import { RollbackError } from './rollback-error.js';

/**
 * Moves a local repository's branch from `expected` to `commit` (a descendant) the way
 * `git merge --ff-only` does, so a person or tool using git in the repository at the same time
 * never sees a half-made state:
 *
 * - git's own lock files are taken first (`index.lock`, then `refs/heads/<branch>.lock`, both
 *   created exclusively): while git holds one, Berth waits its turn by retrying
 *   (RollbackBranchMoved), and while Berth holds them git refuses with "another git process".
 * - The branch is compared with `expected` under the lock; a branch that moved is
 *   RollbackBranchMoved, and the caller makes the revert again on the new tip.
 * - When the branch is checked out in a working tree, the files and the index follow first —
 *   but only if that tree is clean: uncommitted work is never overwritten
 *   (RollbackDirtyWorktree). The new index is written to `index.lock` and renamed over `index`.
 * - The branch moves last, by renaming its lock file over the ref: a reader of the ref sees the
 *   old commit or the new one, never an empty file, and sees the new one only once the working
 *   tree matches it. HEAD is never written.
 */
export async function advanceLocalBranch(options: {
  gitdir: string;
  branch: string;
  expected: string;
  commit: string;
}): Promise<void> {
  const { gitdir, branch, expected, commit } = options;
  const ref = `refs/heads/${branch}`;
  const dir = await checkedOutWorktree(gitdir, ref);
  const indexFile = path.join(gitdir, 'index');
  const refFile = path.join(gitdir, ref);
  const locks: string[] = [];
  let indexWritten = false;
  try {
    if (dir) locks.push(await lock(indexFile, branch));
    locks.push(await lock(refFile, branch));
    const current = await git.resolveRef({ fs: gitFs, gitdir, ref });
    if (current !== expected) {
      throw new RollbackError(
        'RollbackBranchMoved',
        `${branch} moved from ${expected.slice(0, 7)} to ${current.slice(0, 7)} meanwhile`,
        { branch, expected, current },
      );
    }
    if (dir) {
      // isomorphic-git writes the index in place; under git's protocol it goes to index.lock.
      const fs = {
        promises: {
          ...fsp,
          writeFile: (file: string, data: Uint8Array | string, opts?: unknown) => {
            if (path.resolve(file) !== indexFile)
              return fsp.writeFile(file, data, opts as undefined);
            indexWritten = true;
            return fsp.writeFile(`${indexFile}.lock`, data);
          },
        },
      };
      const cache = {};
      // Rows are [file, HEAD, workdir, stage]: a tracked file not at 1,1,1 changed; an
      // untracked one (0,2,0) is left alone by the checkout unless the revert brings back a
      // file at its path.
      const incoming = new Set(await git.listFiles({ fs, gitdir, ref: commit, cache }));
      const paths = (await git.statusMatrix({ fs, dir, gitdir, cache }))
        .filter(([file, head, workdir, stage]) =>
          head === 1 ? !(workdir === 1 && stage === 1) : stage !== 0 || incoming.has(file),
        )
        .map(([file]) => file);
      if (paths.length > 0) {
        throw new RollbackError(
          'RollbackDirtyWorktree',
          `${branch} is checked out in ${dir} with uncommitted changes (${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', ...' : ''}): commit or stash them first`,
          { branch, dir, paths },
        );
      }
      await git.checkout({ fs, dir, gitdir, ref: commit, cache, force: true, noUpdateHead: true });
      if (indexWritten) {
        await fsp.rename(`${indexFile}.lock`, indexFile);
        locks.splice(locks.indexOf(`${indexFile}.lock`), 1);
      }
    }
    await fsp.writeFile(`${refFile}.lock`, `${commit}\n`);
    await fsp.rename(`${refFile}.lock`, refFile);
    locks.splice(locks.indexOf(`${refFile}.lock`), 1);
  } finally {
    await Promise.all(locks.map((file) => fsp.rm(file, { force: true })));
  }
}

/**
 * Creates `<file>.lock` exclusively, as git does. Held by someone else: RollbackBranchMoved (the
 * caller tries again on whatever that git command leaves).
 */
async function lock(file: string, branch: string): Promise<string> {
  const name = `${file}.lock`;
  await fsp.mkdir(path.dirname(name), { recursive: true });
  try {
    const handle = await fsp.open(name, fsc.O_CREAT | fsc.O_EXCL | fsc.O_WRONLY, 0o644);
    await handle.close();
    return name;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw new RollbackError(
      'RollbackBranchMoved',
      `${branch}: another git process holds ${path.basename(name)}; trying again`,
      { branch, lock: name },
    );
  }
}

/** The working tree in which `ref` is checked out, if any (a non-bare repository on that branch). */
async function checkedOutWorktree(gitdir: string, ref: string): Promise<string | undefined> {
  if (path.basename(gitdir) !== '.git') return undefined;
  const current = await git
    .currentBranch({ fs: gitFs, gitdir, fullname: true })
    .catch(() => undefined);
  return current === ref ? path.dirname(gitdir) : undefined;
}
