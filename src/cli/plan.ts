import path from 'node:path';
import type { Command } from 'commander';
import {
  type BerthConfig,
  ConfigError,
  compileConfig,
  loadConfig,
  type SourceConfig,
} from '../config/index.js';
import { type DesiredState, validateRevision } from '../manifests/index.js';
import {
  makePlan,
  type PlanObject,
  type PlanReport,
  podImpact,
  renderJson,
  renderMarkdown,
  renderText,
} from '../plan/index.js';
import { type OpenedRevision, openRef } from '../source/index.js';
import { connectRedis, InventoryStore } from '../store/index.js';
import type { CliContext } from './context.js';
import { defaultSourceName, validatePolicy } from './policy.js';

/** Options of `berth plan`, as commander parses them. */
interface PlanCliOptions {
  ref?: string;
  source?: string;
  repo?: string;
  path?: string;
  against: string;
  output: string;
  config?: string;
}

const RENDER = { text: renderText, markdown: renderMarkdown, json: renderJson } as const;

/** Exit codes of `berth plan` (as `terraform plan -detailed-exitcode`): 2 means "there are changes". */
export const PLAN_EXIT = { noChanges: 0, failure: 1, changes: 2 } as const;

/**
 * `berth plan`: validates a ref's revision and shows what it would change against the live
 * state (what the source last applied) or another ref. Exit 0 no changes, 2 changes, 1 invalid
 * revision or error (usage errors included).
 */
export function registerPlan(program: Command, ctx: CliContext): void {
  program
    .command('plan')
    .description('Show what a branch, tag or commit would change, against what runs or another ref')
    .option('--ref <ref>', "branch, tag or commit to plan (default: the source's own ref)")
    .option('--source <name>', 'a source of berth.yaml (default: the only one)')
    .option('--repo <path|url>', 'a repository instead of a configured source')
    .option(
      '--path <dir>',
      'with --repo: directory of the manifests inside the repository (default .)',
    )
    .option('--against <live|ref>', 'compare with what runs (live) or with another ref', 'live')
    .option('-o, --output <format>', 'text, markdown or json', 'text')
    .option('-c, --config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .action(async (opts: PlanCliOptions) => {
      ctx.exitCode = await runPlan(opts, ctx);
    });
}

async function runPlan(opts: PlanCliOptions, ctx: CliContext): Promise<number> {
  const render = RENDER[opts.output as keyof typeof RENDER];
  if (!render) {
    ctx.stderr.write(`berth plan: --output must be text, markdown or json, not "${opts.output}"\n`);
    return PLAN_EXIT.failure;
  }
  const config = loadConfig({
    env: ctx.env,
    cwd: ctx.cwd,
    ...(opts.config ? { path: opts.config } : {}),
  });
  const source = pickSource(config, opts, ctx.cwd);
  const ref = opts.ref ?? ownRef(source);
  const policy = validatePolicy(config);
  const head = await openRef(source, ref, config.stateDir, ctx.env);
  const headResult = validateRevision(head.files, policy);
  const base = await baseObjects(opts.against, source, config, ctx, policy);
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
  ctx.stdout.write(render(report));
  if (!report.plan) return PLAN_EXIT.failure;
  return report.plan.hasChanges ? PLAN_EXIT.changes : PLAN_EXIT.noChanges;
}

function pickSource(config: BerthConfig, opts: PlanCliOptions, cwd: string): SourceConfig {
  if (opts.repo) {
    if (opts.source) throw new ConfigError('give --source or --repo, not both');
    // A local path is named after its directory (`--repo .` in ~/shop gives "shop").
    const named = /^https?:\/\//.test(opts.repo) ? opts.repo : path.resolve(cwd, opts.repo);
    const source = {
      name: defaultSourceName(named),
      repo: opts.repo,
      ...(opts.path ? { path: opts.path } : {}),
    };
    return compileConfig({ env: {}, cwd, source }).sources[0] as SourceConfig;
  }
  if (opts.path)
    throw new ConfigError('--path needs --repo (a configured source has its own path)');
  if (opts.source) {
    const found = config.sources.find((s) => s.name === opts.source);
    if (!found)
      throw new ConfigError(
        `no source "${opts.source}" in ${config.file ?? 'the configuration'}; sources: ${config.sources.map((s) => s.name).join(', ') || 'none'}`,
      );
    return found;
  }
  if (config.sources.length === 1) return config.sources[0] as SourceConfig;
  throw new ConfigError(
    config.sources.length === 0
      ? 'nothing to plan: give --repo PATH|URL, or --source NAME of berth.yaml'
      : 'several sources are configured: name one with --source',
  );
}

function ownRef(source: SourceConfig): string {
  const r = source.ref;
  return 'branch' in r ? r.branch : 'tag' in r ? r.tag : r.commit;
}

async function baseObjects(
  against: string,
  source: SourceConfig,
  config: BerthConfig,
  ctx: CliContext,
  policy: ReturnType<typeof validatePolicy>,
): Promise<{ side: PlanReport['base']; objects: PlanObject[] }> {
  if (against === 'live') {
    const redis = await connectRedis(config.redis.url, { maxRetriesPerRequest: 1 });
    try {
      const inventory = await new InventoryStore(redis, config.redis.keyPrefix).load(source.name);
      return { side: { live: true }, objects: inventory?.entries ?? [] };
    } finally {
      redis.disconnect();
    }
  }
  const base: OpenedRevision = await openRef(source, against, config.stateDir, ctx.env);
  const result = validateRevision(base.files, policy);
  if (!result.valid) {
    ctx.stderr.write(
      `berth plan: note: ${against} (${base.revision.sha.slice(0, 7)}) is itself invalid; comparing with the objects it does describe\n`,
    );
  }
  return { side: { ref: against, sha: base.revision.sha }, objects: planObjects(result.state) };
}

function planObjects(state: DesiredState): PlanObject[] {
  return [...state.objects.values()].map((o) => ({
    apiVersion: o.apiVersion,
    kind: o.kind,
    namespace: o.namespace,
    name: o.name,
    value: o.object as unknown as Record<string, unknown>,
  }));
}
