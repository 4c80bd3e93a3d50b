import git from 'isomorphic-git';
import type { SourceRef } from '../config/index.js';
import { gitFs } from './git-fs.js';
import { readRef } from './read-ref.js';
import type { Revision } from './revision.js';
import { SourceError } from './source-error.js';

/** What {@link resolveRevision} needs to know about a source. */
export interface RevisionTarget {
  /** Source name, copied into the revision and into errors. */
  name: string;
  /** The git directory objects are read from (a bare repository, or a `.git` directory). */
  gitdir: string;
  /** The ref followed. */
  ref: SourceRef;
  /** Directory inside the repository, `.` for the root. */
  path: string;
}

/** The full ref name a {@link SourceRef} stands for, or the SHA of a pinned commit. */
export function refName(ref: SourceRef): string {
  if ('branch' in ref) return `refs/heads/${ref.branch}`;
  if ('tag' in ref) return `refs/tags/${ref.tag}`;
  return ref.commit;
}

/**
 * Resolves a source's ref to a commit and the tree under its path, reading git objects only
 * (loose or packed refs, annotated tags peeled). `oid` skips the ref lookup (a remote's fetch
 * already knows the commit). Throws {@link SourceError} `SourceRefNotFound` or `SourcePathNotFound`.
 */
export async function resolveRevision(
  target: RevisionTarget,
  oid?: string,
  cache: object = {},
): Promise<Revision> {
  const ref = refName(target.ref);
  const sha = oid ?? (await resolveRefOid(target, ref));
  let commit: Awaited<ReturnType<typeof git.readCommit>>;
  try {
    commit = await git.readCommit({ fs: gitFs, gitdir: target.gitdir, oid: sha, cache });
  } catch (err) {
    throw new SourceError(
      'SourceRefNotFound',
      `source ${target.name}: commit ${sha} of ${ref} is not in the repository`,
      { source: target.name, ref, sha },
      { cause: err },
    );
  }
  const treeSha = await subtreeOid(target, commit.commit.tree, commit.oid, cache);
  const { author, committer, message } = commit.commit;
  return {
    source: target.name,
    sha: commit.oid,
    ref,
    path: target.path,
    treeSha,
    subject: message.split('\n', 1)[0] ?? '',
    message,
    author: `${author.name} <${author.email}>`,
    committedAt: new Date(committer.timestamp * 1000).toISOString(),
  };
}

async function resolveRefOid(target: RevisionTarget, ref: string): Promise<string> {
  if ('commit' in target.ref) return target.ref.commit;
  const oid = await readRef(target.gitdir, ref);
  if (oid === undefined) {
    throw new SourceError(
      'SourceRefNotFound',
      `source ${target.name}: ${ref} does not exist in the repository`,
      { source: target.name, ref },
    );
  }
  return oid;
}

async function subtreeOid(
  target: RevisionTarget,
  rootTree: string,
  sha: string,
  cache: object,
): Promise<string> {
  if (target.path === '.' || target.path === '') return rootTree;
  try {
    const { oid } = await git.readTree({
      fs: gitFs,
      gitdir: target.gitdir,
      oid: rootTree,
      filepath: target.path,
      cache,
    });
    return oid;
  } catch (err) {
    throw new SourceError(
      'SourcePathNotFound',
      `source ${target.name}: path "${target.path}" is not a directory in commit ${sha}`,
      { source: target.name, path: target.path, sha },
      { cause: err },
    );
  }
}
