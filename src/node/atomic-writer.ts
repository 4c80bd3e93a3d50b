import { createHash } from 'node:crypto';
import { chown, mkdir, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One file of a volume: content, mode and optional group (fsGroup). */
export interface VolumeFile {
  data: Buffer;
  mode: number;
}

/**
 * Writes a configMap/secret/downwardAPI/projected volume the way the kubelet's AtomicWriter
 * does, so a running container sees an update in place and never a half-written set:
 * content goes into a fresh `..<hash>` directory, the `..data` symlink is swapped to it with
 * one rename, and each top-level name is a symlink through `..data`. Returns `true` when the
 * content changed (no write at all when it is the same).
 */
export async function writeAtomically(
  dir: string,
  files: Record<string, VolumeFile>,
  gid?: number,
): Promise<boolean> {
  const digest = contentHash(files);
  const version = `..${digest}`;
  await mkdir(dir, { recursive: true });
  const current = await readlink(path.join(dir, '..data')).catch(() => undefined);
  if (current === version) return false;
  // Step 1: the new version, complete, beside the old one.
  const staging = path.join(dir, `${version}.tmp`);
  await rm(staging, { recursive: true, force: true });
  for (const [rel, file] of Object.entries(files)) {
    const target = path.join(staging, rel);
    // Last guard: the callers check names, but nothing may land outside the new version.
    if (!target.startsWith(`${staging}/`) || rel.split('/')[0]?.startsWith('..'))
      throw new Error(`volume file ${JSON.stringify(rel)} is outside the volume`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, file.data, { mode: file.mode });
    if (gid !== undefined) await chown(target, 0, gid);
  }
  await mkdir(staging, { recursive: true });
  await rm(path.join(dir, version), { recursive: true, force: true });
  await rename(staging, path.join(dir, version));
  // Step 2: swap ..data with one rename (atomic on the same file system).
  const link = path.join(dir, '..data_tmp');
  await rm(link, { force: true });
  await symlink(version, link);
  await rename(link, path.join(dir, '..data'));
  // Step 3: user-visible names point through ..data; stale names and old versions go.
  const top = new Set(Object.keys(files).map((rel) => rel.split('/')[0] as string));
  for (const name of top) {
    await symlink(path.join('..data', name), path.join(dir, name)).catch(
      (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
      },
    );
  }
  for (const entry of await readdir(dir)) {
    if (entry === '..data' || entry === version || top.has(entry)) continue;
    await rm(path.join(dir, entry), { recursive: true, force: true });
  }
  return true;
}

function contentHash(files: Record<string, VolumeFile>): string {
  const h = createHash('sha256');
  for (const rel of Object.keys(files).sort()) {
    const file = files[rel] as VolumeFile;
    h.update(`${rel}\0${file.mode}\0${file.data.length}\0`).update(file.data);
  }
  return h.digest('hex').slice(0, 16);
}
