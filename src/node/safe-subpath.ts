import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { localPathError } from '../util/volume-paths.js';
import { NodeError } from './node-error.js';

/** Linux `O_PATH` (not in `fs.constants`): an fd that names a file without opening its content. */
const O_PATH = 0o10000000;
/** Symlinks followed in one subPath before it is refused (Linux' own limit). */
const MAX_LINKS = 40;

/**
 * Resolves a `subPath` inside the volume at `root` the way the kubelet's `safe_open` does, and
 * returns the real host path to bind. Containers can write symlinks into a volume, so every
 * link on the way is resolved here, by hand, and must stay inside the volume (a link to `/`,
 * or `../..` out of it, is refused); a missing directory is created one level at a time under
 * a parent already checked. The result is opened with `O_NOFOLLOW` and its real path read back
 * through the open descriptor (`/proc/self/fd`), so a component swapped for a link during the
 * walk is caught. Throws `CreateContainerConfigError` (the container's waiting reason).
 */
export async function resolveSubPath(
  root: string,
  subPath: string,
  volume: string,
): Promise<string> {
  const refuse = (why: string): never => {
    throw new NodeError(
      'CreateContainerConfigError',
      `subPath ${JSON.stringify(subPath)} of volume "${volume}" ${why}`,
      { volume, subPath },
    );
  };
  const err = localPathError(subPath);
  if (err) refuse(err);
  const base = await realpath(root);
  const inside = (p: string) => p === base || p.startsWith(`${base}/`);
  const queue = subPath.split('/').filter((p) => p !== '' && p !== '.');
  let current = base;
  let links = 0;
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (name === '..') {
      current = path.dirname(current);
      if (!inside(current)) refuse('leads outside the volume');
      continue;
    }
    const next = path.join(current, name);
    let info = await lstat(next).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (!info) {
      // Created in a checked parent; mkdir does not follow a link that appears meanwhile.
      await mkdir(next, { mode: 0o777 }).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
      info = await lstat(next);
    }
    if (info.isSymbolicLink()) {
      if (++links > MAX_LINKS) refuse('has too many levels of symbolic links');
      const target = await readlink(next);
      // An absolute target means a host path here (the kubelet resolves links on the host too).
      if (path.isAbsolute(target)) {
        const resolved = path.resolve(target);
        if (!inside(resolved)) refuse('is a symbolic link to a path outside the volume');
        current = base;
        queue.unshift(...path.relative(base, resolved).split('/').filter(Boolean));
      } else queue.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
      continue;
    }
    if (!info.isDirectory() && queue.length > 0) refuse(`goes through a file (${name})`);
    current = next;
  }
  // Hold the result open (no link followed at the last step) and check where it really is.
  const handle = await open(current, O_PATH | constants.O_NOFOLLOW);
  try {
    const real = await readlink(`/proc/self/fd/${handle.fd}`);
    if (real !== current || !inside(real)) refuse('changed while it was resolved');
    return real;
  } finally {
    await handle.close();
  }
}
