import type { CliContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

/** What one `berth` invocation printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `berth` command line in-process with captured output. `stop` resolves the
 * context's stop signal (Ctrl-C) once the command is running; by default it never comes.
 */
export async function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; stop?: Promise<string> } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    exitCode: 0,
    stopSignal: options.stop ?? new Promise(() => {}),
  };
  const code = await main(['node', 'berth', ...args], ctx);
  return { code, stdout, stderr };
}
