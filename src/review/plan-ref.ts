import type { BerthConfig, SourceConfig } from '../config/index.js';
import {
  type DesiredState,
  decryptAndValidate,
  keyringFor,
  type ValidateOptions,
} from '../manifests/index.js';
import { makePlan, type PlanObject, type PlanReport, podImpact } from '../plan/index.js';
import { openRef } from '../source/index.js';
import { connectRedis, InventoryStore } from '../store/index.js';
import { liveImageDrift } from './image-drift.js';

/** What to plan: a ref of a source, against what runs (`live`) or another ref. */
export interface PlanRefOptions {
  config: BerthConfig;
  source: SourceConfig;
  /** Branch, tag or SHA (and HEAD, ~N, ^ in local repositories). Default: the source's own ref. */
  ref?: string;
  /** `live` (default: the source's inventory in Redis) or another ref. */
  against?: string;
  policy: ValidateOptions;
  env?: NodeJS.ProcessEnv;
  /** Called when the base ref is itself invalid (its valid objects are still compared). */
  onNote?: (message: string) => void;
  /** Against `live`: ask the registries whether the tags the pods run moved. Default true. */
  images?: boolean;
}

/**
 * Plans a ref of a source: reads its revision from git objects, validates it, and compares it
 * with what the source last applied or with another ref, giving the report `berth plan`, the
 * API and pull-request comments render. Throws SourceError when a ref cannot be read.
 */
export async function planRef(options: PlanRefOptions): Promise<PlanReport> {
  const { config, source, policy } = options;
  const env = options.env ?? process.env;
  const ref = options.ref ?? ownRef(source);
  const against = options.against ?? 'live';
  const head = await openRef(source, ref, config.stateDir, env);
  const keyring = await keyringFor(source.decryption, env);
  const headResult = await decryptAndValidate(head.files, policy, keyring);
  const base = await baseObjects(options, against, env);
  const report: PlanReport = {
    source: source.name,
    head: { ref, sha: head.revision.sha },
    base: base.side,
    valid: headResult.valid,
    impacts: [],
    problems: headResult.problems,
  };
  if (headResult.valid) {
    const desired = planObjects(headResult.state);
    report.plan = makePlan({ desired, live: base.objects, prune: source.prune });
    report.impacts = podImpact(report.plan.actions, desired);
  }
  if (against === 'live' && options.images !== false)
    report.images = await liveImageDrift(config, source.name);
  return report;
}

/** The ref a source follows, as a name `openRef` understands. */
export function ownRef(source: SourceConfig): string {
  const r = source.ref;
  return 'branch' in r ? r.branch : 'tag' in r ? r.tag : r.commit;
}

async function baseObjects(
  options: PlanRefOptions,
  against: string,
  env: NodeJS.ProcessEnv,
): Promise<{ side: PlanReport['base']; objects: PlanObject[] }> {
  const { config, source } = options;
  if (against === 'live') {
    const redis = await connectRedis(config.redis.url, { maxRetriesPerRequest: 1 });
    try {
      const inventory = await new InventoryStore(redis, config.redis.keyPrefix).load(source.name);
      return { side: { live: true }, objects: inventory?.entries ?? [] };
    } finally {
      redis.disconnect();
    }
  }
  const base = await openRef(source, against, config.stateDir, env);
  const keyring = await keyringFor(source.decryption, env);
  const result = await decryptAndValidate(base.files, options.policy, keyring);
  if (!result.valid) {
    options.onNote?.(
      `${against} (${base.revision.sha.slice(0, 7)}) is itself invalid; comparing with the objects it does describe`,
    );
  }
  return { side: { ref: against, sha: base.revision.sha }, objects: planObjects(result.state) };
}

/** The objects of a desired state, as the plan pairs them. */
export function planObjects(state: DesiredState): PlanObject[] {
  return [...state.objects.values()].map((o) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.namespace,
    name: o.name,
    value: o.object as unknown as Record<string, unknown>,
  }));
}
