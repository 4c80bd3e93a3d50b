import { CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { BerthError, errorMessage } from '../util/berth-error.js';
import { type CliContext, EXIT, processContext } from './context.js';
import { createProgram } from './program.js';

/**
 * Runs the `berth` command line and returns its exit code: 0 success, 1 the command found a
 * problem, 2 usage or configuration error.
 */
export async function main(argv: string[], ctx: CliContext = processContext()): Promise<number> {
  const program = createProgram(ctx);
  // `berth plan` keeps 2 for "there are changes" (as terraform plan -detailed-exitcode): its usage
  // and configuration errors exit 1.
  const usage = argv[2] === 'plan' ? EXIT.failure : EXIT.usage;
  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are "errors" with exit code 0 to commander.
      return err.exitCode === 0 ? EXIT.ok : usage;
    }
    if (err instanceof ConfigError) {
      ctx.stderr.write(`berth: ${err.message}\n`);
      return usage;
    }
    ctx.stderr.write(`berth: ${err instanceof BerthError ? err.message : errorMessage(err)}\n`);
    return EXIT.failure;
  }
}
