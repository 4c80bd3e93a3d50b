import fs from 'node:fs';
import git, { type TreeEntry } from 'isomorphic-git';
import { merge as diff3 } from 'node-diff3';

/** Where the trees live: a git directory (`.git`, or a bare repository). */
export interface GitDir {
  gitdir: string;
}

/** The outcome of a three-way merge: the merged tree, or the paths that conflict. */
export type TreeMergeResult =
  | { tree: string; conflicts: [] }
  | { tree?: undefined; conflicts: string[] };

/**
 * Merges `theirs` into `ours` relative to `base`, as git's three-way merge does, writing only new
 * blobs and trees: a path changed on one side only takes that side; a file changed on both sides
 * is merged line by line (diff3), and any overlap, a binary file changed on both sides, or a
 * change against a deletion is a conflict. Nothing is written to refs or any working tree.
 */
export async function mergeTrees(
  repo: GitDir,
  base: string | null,
  ours: string,
  theirs: string,
): Promise<TreeMergeResult> {
  const conflicts: string[] = [];
  const tree = await mergeTree(repo, base, ours, theirs, '', conflicts);
  if (conflicts.length > 0) return { conflicts };
  // Everything deleted: the root is git's empty tree.
  return {
    tree: tree ?? (await git.writeTree({ fs, gitdir: repo.gitdir, tree: [] })),
    conflicts: [],
  };
}

async function mergeTree(
  repo: GitDir,
  base: string | null,
  ours: string | null,
  theirs: string | null,
  prefix: string,
  conflicts: string[],
): Promise<string | null> {
  const [b, o, t] = await Promise.all([
    entries(repo, base),
    entries(repo, ours),
    entries(repo, theirs),
  ]);
  const names = [...new Set([...b.keys(), ...o.keys(), ...t.keys()])].sort();
  const merged: TreeEntry[] = [];
  for (const name of names) {
    const path = prefix ? `${prefix}/${name}` : name;
    const entry = await mergeEntry(repo, b.get(name), o.get(name), t.get(name), path, conflicts);
    if (entry) merged.push({ ...entry, path: name });
  }
  if (merged.length === 0) return null;
  return git.writeTree({ fs, gitdir: repo.gitdir, tree: merged });
}

async function mergeEntry(
  repo: GitDir,
  b: TreeEntry | undefined,
  o: TreeEntry | undefined,
  t: TreeEntry | undefined,
  path: string,
  conflicts: string[],
): Promise<TreeEntry | undefined> {
  if (same(o, t)) return o;
  if (same(b, o)) return t;
  if (same(b, t)) return o;
  // Both sides changed the path, differently.
  if (o?.type === 'tree' && t?.type === 'tree' && (b === undefined || b.type === 'tree')) {
    const oid = await mergeTree(repo, b?.oid ?? null, o.oid, t.oid, path, conflicts);
    return oid ? { mode: '040000', path, oid, type: 'tree' } : undefined;
  }
  if (
    o?.type === 'blob' &&
    t?.type === 'blob' &&
    (b === undefined || b.type === 'blob') &&
    o.mode === t.mode
  ) {
    const [bb, ob, tb] = await Promise.all([
      b ? blob(repo, b.oid) : new Uint8Array(),
      blob(repo, o.oid),
      blob(repo, t.oid),
    ]);
    if (isBinary(bb) || isBinary(ob) || isBinary(tb)) {
      conflicts.push(path);
      return o;
    }
    const result = diff3(lines(ob), lines(bb), lines(tb));
    if (result.conflict) {
      conflicts.push(path);
      return o;
    }
    const oid = await git.writeBlob({
      fs,
      gitdir: repo.gitdir,
      blob: new TextEncoder().encode(result.result.join('\n')),
    });
    return { ...o, oid };
  }
  conflicts.push(path);
  return o;
}

async function entries(repo: GitDir, oid: string | null): Promise<Map<string, TreeEntry>> {
  if (oid === null) return new Map();
  const { tree } = await git.readTree({ fs, gitdir: repo.gitdir, oid });
  return new Map(tree.map((e) => [e.path, e]));
}

async function blob(repo: GitDir, oid: string): Promise<Uint8Array> {
  return (await git.readBlob({ fs, gitdir: repo.gitdir, oid })).blob;
}

function same(a: TreeEntry | undefined, b: TreeEntry | undefined): boolean {
  return a === undefined
    ? b === undefined
    : b !== undefined && a.oid === b.oid && a.mode === b.mode;
}

/** Lines of a text blob; splitting on '\n' and joining back is lossless, final newline included. */
function lines(content: Uint8Array): string[] {
  return new TextDecoder().decode(content).split('\n');
}

function isBinary(content: Uint8Array): boolean {
  return content.subarray(0, 8000).includes(0);
}
