import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import type { BerthConfig, SourceConfig } from '../config/index.js';
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
  const [{ loadConfig, compileConfig }, { renderJson, renderMarkdown, renderText }, { planRef }] =
    await Promise.all([
      import('../config/index.js'),
      import('../plan/index.js'),
      import('../review/index.js'),
    ]);
  const RENDER = { text: renderText, markdown: renderMarkdown, json: renderJson } as const;
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
  const report = await planRef({
    config,
    source: pickSource(config, opts, ctx.cwd, compileConfig),
    ...(opts.ref ? { ref: opts.ref } : {}),
    against: opts.against,
    policy: validatePolicy(config),
    env: ctx.env,
    onNote: (message) => ctx.stderr.write(`berth plan: note: ${message}\n`),
  });
  ctx.stdout.write(render(report));
  if (!report.plan) return PLAN_EXIT.failure;
  return report.plan.hasChanges ? PLAN_EXIT.changes : PLAN_EXIT.noChanges;
}

function pickSource(
  config: BerthConfig,
  opts: PlanCliOptions,
  cwd: string,
  compileConfig: typeof import('../config/index.js').compileConfig,
): SourceConfig {
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
