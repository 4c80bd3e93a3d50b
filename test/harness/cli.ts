import type { CliContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { eventually, WAIT } from './eventually.js';

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
  const running = startCli(args, options);
  if (options.stop) void options.stop.then(() => running.stop());
  return running.done;
}

/** A `berth` command running in-process (e.g. `up`), whose output a test reads as it comes. */
export interface RunningCli {
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Resolves when `text` (or a match of the pattern) has appeared on stderr; rejects after `timeoutMs`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Sends "Ctrl-C" and returns the exit code and output. */
  stop(): Promise<CliRun>;
  /** Resolves with the exit code and output when the command ends by itself. */
  done: Promise<CliRun>;
}

/** Starts a long-running `berth` command in-process. */
export function startCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): RunningCli {
  let stdout = '';
  let stderr = '';
  let signal: (s: string) => void = () => {};
  const ctx: CliContext = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    exitCode: 0,
    stopSignal: new Promise((resolve) => {
      signal = resolve;
    }),
  };
  const done = main(['node', 'berth', ...args], ctx).then((code) => ({ code, stdout, stderr }));
  return {
    stderr: () => stderr,
    waitFor: async (text, timeoutMs = WAIT.timeoutMs) => {
      const seen = () => (typeof text === 'string' ? stderr.includes(text) : text.test(stderr));
      await eventually(
        () => {
          if (!seen()) throw new Error(`stderr so far:\n${stderr}`);
          return true;
        },
        { what: String(text), timeout: timeoutMs },
      );
    },
    stop: () => {
      signal('SIGINT');
      return done;
    },
    done,
  };
}
