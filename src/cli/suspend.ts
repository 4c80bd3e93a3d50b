import type { Command } from 'commander';
import { type CliContext, EXIT } from './context.js';

/**
 * `berth suspend <source>`: stops applying the source's new revisions (they are still fetched
 * and validated) until `berth resume`; what runs keeps running. Exit 0; 1 for an unknown
 * source or when Redis does not answer; 2 on a configuration error.
 */
export function registerSuspend(program: Command, ctx: CliContext): void {
  program
    .command('suspend')
    .description("Stop applying a source's new revisions until berth resume")
    .argument('<source>', 'a source of berth.yaml')
    .option('-c, --config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .action(async (name: string, opts: { config?: string }) => {
      const [{ openState }, { setSuspended }] = await Promise.all([
        import('./open-state.js'),
        import('./source-suspension.js'),
      ]);
      const state = await openState(ctx, opts.config);
      try {
        const { changed } = await setSuspended(state, name, true);
        ctx.stdout.write(`source/${name} ${changed ? 'suspended' : 'already suspended'}\n`);
      } finally {
        state.close();
      }
      ctx.exitCode = EXIT.ok;
    });
}
