import type { Command } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { withoutUserinfo } from '../util/without-userinfo.js';
import { type CliContext, EXIT } from './context.js';

/** Options of `berth rollback`, as commander parses them. */
interface RollbackCliOptions {
  to?: string;
  reason?: string;
  config?: string;
}

/**
 * `berth rollback <source> [--to <sha>]`: commits on the source's branch a revert of its last
 * commit, or of every commit after `--to`, and pushes it for a remote source — the path an
 * automated rollback takes. Exit 0 committed, 1 refused (conflict, dirty tree, push denied), 2 usage.
 */
export function registerRollback(program: Command, ctx: CliContext): void {
  program
    .command('rollback')
    .description(
      "Revert a source's last commit (or every commit after --to) with a commit on its branch",
    )
    .argument('<source>', 'a source of berth.yaml')
    .option(
      '--to <sha>',
      'the last good commit: every commit after it is reverted (default: revert the last commit)',
    )
    .option('--reason <text>', 'why, written into the commit message')
    .option('-c, --config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .action(async (name: string, opts: RollbackCliOptions) => {
      const [{ loadConfig }, { rollbackSource }] = await Promise.all([
        import('../config/index.js'),
        import('../rollback/index.js'),
      ]);
      const config = loadConfig({
        env: ctx.env,
        cwd: ctx.cwd,
        ...(opts.config ? { path: opts.config } : {}),
      });
      const source = config.sources.find((s) => s.name === name);
      if (!source) {
        throw new ConfigError(
          `no source "${name}" in ${config.file ?? 'the configuration'}; sources: ${config.sources.map((s) => s.name).join(', ') || 'none'}`,
        );
      }
      const result = await rollbackSource({
        source,
        stateDir: config.stateDir,
        env: ctx.env,
        ...(opts.to ? { to: opts.to } : {}),
        reason: opts.reason ?? 'Rolled back by hand with berth rollback.',
      });
      const subject = result.message.split('\n', 1)[0];
      ctx.stdout.write(
        `${result.branch} ${result.commit.slice(0, 7)} ${subject}\n` +
          `reverted ${result.reverted.map((c) => c.sha.slice(0, 7)).join(', ')} on top of ${result.parent.slice(0, 7)}${result.pushed ? `; pushed to ${withoutUserinfo(source.repo)}` : ''}\n`,
      );
      ctx.exitCode = EXIT.ok;
    });
}
