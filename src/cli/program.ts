import { Command } from 'commander';
import { registerConfig } from './config.js';
import type { CliContext } from './context.js';
import { registerDescribe } from './describe.js';
import { registerDown } from './down.js';
import { registerGet } from './get.js';
import { registerHistory } from './history.js';
import { registerLogs } from './logs.js';
import { registerPlan } from './plan.js';
import { registerRender } from './render.js';
import { registerResume } from './resume.js';
import { registerRollback } from './rollback.js';
import { registerStatus } from './status.js';
import { registerSuspend } from './suspend.js';
import { registerUp } from './up.js';
import { registerValidate } from './validate.js';

/** Every command, one registration function per file; the order is the order of `--help`. */
const COMMANDS: Array<(program: Command, ctx: CliContext) => void> = [
  registerUp,
  registerConfig,
  registerValidate,
  registerPlan,
  registerRender,
  registerRollback,
  registerHistory,
  registerLogs,
  registerStatus,
  registerGet,
  registerDescribe,
  registerSuspend,
  registerResume,
  registerDown,
];

/** Builds the `berth` command line. Output goes to the context's streams, never to process.exit. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command('berth')
    .description(
      'Keep a Docker host in the state a Git repository of Kubernetes manifests describes.',
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run berth --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      getOutHelpWidth: () => (ctx.stdout.isTTY && ctx.stdout.columns) || 80,
      getErrHelpWidth: () => (ctx.stderr.isTTY && ctx.stderr.columns) || 80,
    });
  for (const register of COMMANDS) register(program, ctx);
  return program;
}

export const VERSION = '0.1.0';
