import type { Redis } from 'ioredis';
import git from 'isomorphic-git';
import { setSuspended } from '../actions/index.js';
import type { BerthConfig } from '../config/index.js';
import type { PlanReport } from '../plan/index.js';
import { formatSyncKey, WorkQueue } from '../queue/index.js';
import { type RollbackResult, rollbackSource } from '../rollback/index.js';
import { findGitdir, gitFs, type SourceWatcher } from '../source/index.js';
import { createStores, SourceStateStore } from '../store/index.js';
import { ApiError } from './api-error.js';

/** What the action routes do; every method throws ApiError 404 for an unknown source. */
export interface ApiActions {
  /** Fetches the source now and queues the sync of its target revision. */
  sync(source: string): Promise<{ fetched?: string; enqueued?: string }>;
  /** Suspends or resumes a source (as `berth suspend` / `berth resume`). */
  setSuspended(
    source: string,
    suspended: boolean,
  ): Promise<{ changed: boolean; enqueued?: string }>;
  /**
   * Reverts the commits after `to` (default: the last commit) as `berth rollback`; with
   * `dryRun`, commits nothing and answers the plan of the revert (the tree of `to`, against what runs).
   */
  rollback(
    source: string,
    options: { to?: string; reason?: string; dryRun?: boolean },
  ): Promise<
    { dryRun: true; to: string; plan: PlanReport } | { dryRun: false; result: RollbackResult }
  >;
}

/** What {@link sourceActions} needs of the running process. */
export interface SourceActionsOptions {
  config: BerthConfig;
  redis: Redis;
  /** The watcher of a source (undefined before start, or for an unknown source). */
  watcher: (source: string) => SourceWatcher | undefined;
  /** The plan of a ref against what runs. */
  plan: (source: string, ref: string) => Promise<PlanReport | undefined>;
  env?: NodeJS.ProcessEnv;
}

/** The actions of a running `berth up`, through the same code as the CLI's commands. */
export function sourceActions(options: SourceActionsOptions): ApiActions {
  const { config, redis } = options;
  const configured = (name: string) => {
    const source = config.sources.find((s) => s.name === name);
    if (!source) throw new ApiError(404, 'SourceNotFound', `no source "${name}"`);
    return source;
  };
  return {
    async sync(name) {
      configured(name);
      const revision = await options.watcher(name)?.refresh('manual');
      const states = new SourceStateStore(redis, config.redis.keyPrefix);
      const state = await states.get(name);
      if (!state?.target) return revision ? { fetched: revision.sha } : {};
      // A manual sync (Argo CD's word): sync windows with manualSync let this revision pass.
      await states.update(name, { manualSync: state.target });
      const key = formatSyncKey({ source: name, revision: state.target });
      const queue = await WorkQueue.open({
        name: 'sync',
        redisUrl: config.redis.url,
        keyPrefix: config.redis.keyPrefix,
      });
      try {
        await queue.enqueue(key);
      } finally {
        await queue.close();
      }
      return { ...(revision ? { fetched: revision.sha } : {}), enqueued: key };
    },
    async setSuspended(name, suspended) {
      configured(name);
      const change = await setSuspended(
        { config, stores: createStores(redis, config.redis.keyPrefix) },
        name,
        suspended,
      );
      return change;
    },
    async rollback(name, { to, reason, dryRun }) {
      const source = configured(name);
      if (dryRun) {
        const good = to ?? (await parentOfTip(source.name, source.repo, source.remote, source.ref));
        const plan = await options.plan(name, good);
        if (!plan) throw new ApiError(404, 'SourceNotFound', `no source "${name}"`);
        return { dryRun: true, to: good, plan };
      }
      const result = await rollbackSource({
        source,
        stateDir: config.stateDir,
        env: options.env ?? process.env,
        ...(to ? { to } : {}),
        reason: reason ?? 'Rolled back from the Berth API.',
      });
      void options.watcher(name)?.refresh('manual');
      return { dryRun: false, result };
    },
  };
}

/** The parent of a local branch's tip: what reverting its last commit returns to. */
async function parentOfTip(
  name: string,
  repo: string,
  remote: boolean,
  ref: BerthConfig['sources'][number]['ref'],
): Promise<string> {
  if (remote || !('branch' in ref)) {
    throw new ApiError(400, 'RollbackNeedsTo', 'give "to" (the last good commit) for this source');
  }
  const gitdir = findGitdir(name, repo);
  const head = await git.resolveRef({ fs: gitFs, gitdir, ref: `refs/heads/${ref.branch}` });
  const { commit } = await git.readCommit({ fs: gitFs, gitdir, oid: head });
  const parent = commit.parent[0];
  if (!parent) throw new ApiError(409, 'RollbackNoParent', 'the branch has a single commit');
  return parent;
}
