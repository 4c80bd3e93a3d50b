import type { Command } from 'commander';
import type { CliContext } from './context.js';

/** `berth config view`: prints the effective configuration (file, environment and defaults merged). */
export function registerConfig(program: Command, ctx: CliContext): void {
  const config = program.command('config').description("Inspect Berth's own configuration");
  config
    .command('view')
    .description(
      'Print the effective configuration: berth.yaml, environment overrides and defaults merged',
    )
    .option('-c, --config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .option('-o, --output <format>', 'yaml or json', 'yaml')
    .action(async (opts: { config?: string; output: string }) => {
      const { loadConfig } = await import('../config/index.js');
      const effective = loadConfig({
        env: ctx.env,
        cwd: ctx.cwd,
        ...(opts.config ? { path: opts.config } : {}),
      });
      if (opts.output === 'json') ctx.stdout.write(`${JSON.stringify(effective, null, 2)}\n`);
      else if (opts.output === 'yaml')
        ctx.stdout.write((await import('yaml')).stringify(effective));
      else {
        ctx.stderr.write(
          `berth config view: --output must be yaml or json, not "${opts.output}"\n`,
        );
        ctx.exitCode = 2;
      }
    });
}
