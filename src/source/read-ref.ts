import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The object a full ref (`refs/heads/main`, `refs/tags/v1`) points to, or `undefined`. Reads
 * the loose ref first and `packed-refs` only when there is none — git's own order. `git gc` /
 * `git pack-refs` write the new `packed-refs` before deleting loose refs, so this order never
 * returns a stale value (isomorphic-git's `resolveRef` reads `packed-refs` first and can).
 */
export async function readRef(gitdir: string, ref: string): Promise<string | undefined> {
  const loose = await readOptional(path.join(gitdir, ...ref.split('/')));
  if (loose !== undefined) {
    const value = loose.trim();
    if (/^[0-9a-f]{40}$/.test(value)) return value;
    const target = /^ref:\s*(\S+)$/.exec(value)?.[1];
    return target && target !== ref ? readRef(gitdir, target) : undefined;
  }
  const packed = await readOptional(path.join(gitdir, 'packed-refs'));
  for (const line of packed?.split('\n') ?? []) {
    const space = line.indexOf(' ');
    if (space === 40 && line.slice(space + 1).trim() === ref) return line.slice(0, 40);
  }
  return undefined;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
    throw err;
  }
}
