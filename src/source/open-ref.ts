import git from 'isomorphic-git';
import type { SourceConfig, SourceRef } from '../config/index.js';
import { withoutUserinfo } from '../util/without-userinfo.js';
import { gitFs } from './git-fs.js';
import { findGitdir } from './local-backend.js';
import { readRevisionFiles } from './read-revision-files.js';
import { RemoteBackend } from './remote-backend.js';
import { resolveRevision } from './resolve-revision.js';
import type { Revision } from './revision.js';
import { SourceError } from './source-error.js';
import type { SourceFile } from './source-file.js';

/** A revision and its files, read from git objects. */
export interface OpenedRevision {
  revision: Revision;
  files: SourceFile[];
}

/**
 * Reads any ref of a source — a branch, a tag, a commit SHA (7 to 40 hex digits), and in a local
 * repository also `HEAD` and ancestors (`main~2`, `HEAD^`) — as `berth plan --ref` asks, whatever
 * ref the source itself follows. A local repository is read in place; a remote one is fetched
 * into `<stateDir>/plan/sources/<name>.git`, apart from the source's own copy. A name that is both
 * a branch and a tag is taken as the branch.
 */
export async function openRef(
  source: SourceConfig,
  ref: string,
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<OpenedRevision> {
  const [, name = ref, ancestry = ''] = /^(.+?)((?:~\d*|\^)*)$/.exec(ref) ?? [];
  if (ancestry && source.remote) {
    throw new SourceError(
      'SourceRefNotFound',
      `source ${source.name}: "${ref}": ~ and ^ work in local repositories only; give a branch, tag or SHA`,
      {
        source: source.name,
        ref,
      },
    );
  }
  const opened = await openName(source, name, stateDir, env);
  if (!ancestry) return opened;
  const gitdir = findGitdir(source.name, source.repo);
  const oid = await ancestor(source.name, gitdir, opened.revision.sha, ancestry, ref);
  const revision = await resolveRevision(
    { name: source.name, gitdir, ref: { commit: oid }, path: source.path },
    oid,
  );
  return { revision, files: await readRevisionFiles(gitdir, revision.treeSha) };
}

async function openName(
  source: SourceConfig,
  ref: string,
  stateDir: string,
  env: NodeJS.ProcessEnv,
): Promise<OpenedRevision> {
  if (ref === 'HEAD' && !source.remote) {
    const head = await git.resolveRef({
      fs: gitFs,
      gitdir: findGitdir(source.name, source.repo),
      ref: 'HEAD',
    });
    return open(source, { commit: head }, stateDir, env);
  }
  const isSha = /^[0-9a-f]{7,40}$/.test(ref);
  const candidates: SourceRef[] = isSha ? [{ commit: ref }] : [{ branch: ref }, { tag: ref }];
  let lastError: unknown;
  for (const candidate of candidates) {
    try {
      return await open(source, candidate, stateDir, env);
    } catch (err) {
      if (!(err instanceof SourceError) || err.code !== 'SourceRefNotFound') throw err;
      lastError = err;
    }
  }
  throw new SourceError(
    'SourceRefNotFound',
    `source ${source.name}: no branch, tag or commit "${ref}" in ${withoutUserinfo(source.repo)}`,
    {
      source: source.name,
      ref,
      cause: (lastError as Error | undefined)?.message,
    },
  );
}

async function open(
  source: SourceConfig,
  ref: SourceRef,
  stateDir: string,
  env: NodeJS.ProcessEnv,
): Promise<OpenedRevision> {
  let gitdir: string;
  let oid: string | undefined;
  if (source.remote) {
    const backend = new RemoteBackend({ ...source, ref }, `${stateDir}/plan`, env);
    oid = await backend.update();
    gitdir = backend.gitdir();
  } else {
    gitdir = findGitdir(source.name, source.repo);
    if ('commit' in ref) oid = await expandCommit(source.name, gitdir, ref.commit);
  }
  const revision = await resolveRevision(
    { name: source.name, gitdir, ref, path: source.path },
    oid,
  );
  return { revision, files: await readRevisionFiles(gitdir, revision.treeSha) };
}

/** Follows `~N` (N first parents) and `^` (one) from `oid`, as git reads `main~2^`. */
async function ancestor(
  name: string,
  gitdir: string,
  oid: string,
  ancestry: string,
  ref: string,
): Promise<string> {
  let steps = 0;
  for (const m of ancestry.matchAll(/~(\d*)|\^/g)) steps += m[0] === '^' ? 1 : Number(m[1] || 1);
  let current = oid;
  for (let i = 0; i < steps; i++) {
    const { commit } = await git.readCommit({ fs: gitFs, gitdir, oid: current });
    const parent = commit.parent[0];
    if (!parent)
      throw new SourceError(
        'SourceRefNotFound',
        `source ${name}: "${ref}" goes past the first commit`,
        { source: name, ref },
      );
    current = parent;
  }
  return current;
}

async function expandCommit(name: string, gitdir: string, sha: string): Promise<string> {
  try {
    return await git.expandOid({ fs: gitFs, gitdir, oid: sha });
  } catch (err) {
    throw new SourceError(
      'SourceRefNotFound',
      `source ${name}: no commit ${sha}`,
      { source: name, sha },
      { cause: err },
    );
  }
}
