import type { Command } from 'commander';
import { type CliContext, EXIT } from './context.js';

/**
 * `berth resume <source>`: applies the source's revisions again, starting with a sync of its
 * newest valid revision. Exit 0; 1 for an unknown source or when Redis does not answer; 2 on a
 * configuration error.
 */
export function registerResume(program: Command, ctx: CliContext): void {
  program
    .command('resume')
    .description('Apply the revisions of a suspended source again')
    .argument('<source>', 'a source of berth.yaml')
    .option('-c, --config <file>', 'configuration file (default: $BERTH_CONFIG or ./berth.yaml)')
    .action(async (name: string, opts: { config?: string }) => {
      const [{ openState }, { setSuspended }] = await Promise.all([
        import('./open-state.js'),
        import('./source-suspension.js'),
      ]);
      const state = await openState(ctx, opts.config);
      try {
        const { changed, enqueued } = await setSuspended(state, name, false);
        const revision = enqueued
          ? `; sync of ${enqueued.slice(enqueued.indexOf('@') + 1, enqueued.indexOf('@') + 8)} queued`
          : '';
        ctx.stdout.write(`source/${name} ${changed ? 'resumed' : 'not suspended'}${revision}\n`);
      } finally {
        state.close();
      }
      ctx.exitCode = EXIT.ok;
    });
}
