import path from 'node:path';
import git, { type TreeEntry } from 'isomorphic-git';
import { writeCommit } from '../rollback/index.js';
import { gitFs } from '../source/index.js';
import { type ImageChange, type ImageTarget, setImages } from './image-setters.js';
import { updateMessage } from './update-message.js';

/** Files larger than this are not looked at (manifests are small; a huge YAML is not one). */
const MAX_FILE_BYTES = 1024 * 1024;

/** Options of {@link writeUpdateCommit}. */
export interface UpdateCommitOptions {
  gitdir: string;
  /** The branch tip: the commit's only parent. */
  head: string;
  /** Directory of the manifests inside the repository (`.` for the root): only its files change. */
  path: string;
  target: ImageTarget;
  author: { name: string; email: string };
  now?: Date;
}

/** An update commit that was written (no ref moved). */
export interface UpdateCommit {
  commit: string;
  message: string;
  changes: ImageChange[];
  /** Tags the changed fields had before (usually one). */
  oldTags: string[];
  /** Fields that matched but could not be edited in place. */
  skipped: string[];
}

/**
 * Writes, on top of `head`, a commit that sets `target`'s tag in every YAML file under `path`
 * ({@link setImages}: markers, containers, Kustomize `images`), changing nothing else — each
 * other byte of each file, and every other file, stays. Undefined when no field needs a change
 * (the manifests already say that tag). Moves no ref: the caller advances the branch.
 */
export async function writeUpdateCommit(
  options: UpdateCommitOptions,
): Promise<UpdateCommit | { commit?: undefined; skipped: string[] }> {
  const { gitdir, head } = options;
  const cache = {};
  const { commit: headCommit } = await git.readCommit({ fs: gitFs, gitdir, oid: head, cache });
  const base = path.posix.normalize(options.path);
  const changed = new Map<string, Uint8Array>();
  const changes: ImageChange[] = [];
  const skipped: string[] = [];
  const walk = async (oid: string, prefix: string): Promise<void> => {
    const { tree } = await git.readTree({ fs: gitFs, gitdir, oid, cache });
    for (const entry of tree) {
      const file = prefix ? `${prefix}/${entry.path}` : entry.path;
      if (entry.type === 'tree') {
        if (inside(file, base) || inside(base, file)) await walk(entry.oid, file);
        continue;
      }
      if (entry.type !== 'blob' || entry.mode === '120000' || !inside(file, base)) continue;
      if (!/\.ya?ml$/.test(entry.path) && entry.path !== 'Kustomization') continue;
      const { blob } = await git.readBlob({ fs: gitFs, gitdir, oid: entry.oid, cache });
      if (blob.length > MAX_FILE_BYTES || blob.includes(0)) continue;
      const text = new TextDecoder().decode(blob);
      const result = setImages(file, text, [options.target]);
      skipped.push(...result.skipped.map((s) => `${file}: ${s}`));
      if (result.changes.length === 0) continue;
      changed.set(file, new TextEncoder().encode(result.text));
      changes.push(...result.changes);
    }
  };
  await walk(headCommit.tree, '');
  if (changed.size === 0) return { skipped };
  const tree = await replaceBlobs(gitdir, headCommit.tree, changed);
  const oldTags = [...new Set(changes.flatMap((c) => (c.oldTag === undefined ? [] : [c.oldTag])))];
  const message = updateMessage(options.target, oldTags, changes);
  const commit = await writeCommit({
    gitdir,
    message,
    tree,
    parent: head,
    author: options.author,
    ...(options.now ? { now: options.now } : {}),
  });
  return { commit, message, changes, oldTags, skipped };
}

/** Whether `file` is `dir` or below it (`.` holds everything). */
function inside(file: string, dir: string): boolean {
  return dir === '.' || file === dir || file.startsWith(`${dir}/`);
}

/** A copy of the tree `root` with the blobs at `files` (paths from the root) replaced. */
async function replaceBlobs(
  gitdir: string,
  root: string,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<string> {
  const { tree } = await git.readTree({ fs: gitFs, gitdir, oid: root });
  const entries: TreeEntry[] = [];
  for (const entry of tree) {
    if (entry.type === 'blob' && files.has(entry.path)) {
      const oid = await git.writeBlob({
        fs: gitFs,
        gitdir,
        blob: files.get(entry.path) as Uint8Array,
      });
      entries.push({ ...entry, oid });
      continue;
    }
    const below = new Map<string, Uint8Array>();
    for (const [file, content] of files)
      if (file.startsWith(`${entry.path}/`)) below.set(file.slice(entry.path.length + 1), content);
    if (entry.type === 'tree' && below.size > 0) {
      entries.push({ ...entry, oid: await replaceBlobs(gitdir, entry.oid, below) });
      continue;
    }
    entries.push(entry);
  }
  return git.writeTree({ fs: gitFs, gitdir, tree: entries });
}
