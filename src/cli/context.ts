/** What a command needs from its surroundings; tests pass their own to capture output. */
export interface CliContext {
  /** Where results go; `--help` wraps at its `columns` when it is a terminal, else at 80. */
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The exit code the command chose; `main` returns it. */
  exitCode: number;
  /** Resolves when the user asks a long-running command to stop (SIGINT/SIGTERM). */
  stopSignal: Promise<string>;
}

/** Exit codes every command uses (documented in the README). */
export const EXIT = {
  ok: 0,
  /** The command ran and found a problem (invalid manifests, unreachable service, failed sync). */
  failure: 1,
  /** Usage or configuration error: the command line, berth.yaml or an environment variable is wrong. */
  usage: 2,
} as const;

/**
 * The context of a real process: its streams, environment and signals. SIGINT/SIGTERM end every
 * command: a command that waits for `stopSignal` (up, logs -f) gets it and stops in order; any
 * other exits at once (130/143), even when blocked on I/O (a FIFO, a silent server). A second
 * signal always exits at once.
 */
export function processContext(): CliContext {
  let claimed = false;
  let stopping = false;
  const stopSignal = new Promise<string>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.on(signal, () => {
        if (!claimed || stopping) process.exit(signal === 'SIGINT' ? 130 : 143);
        stopping = true;
        resolve(signal);
      });
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    exitCode: 0,
    get stopSignal() {
      claimed = true;
      return stopSignal;
    },
  };
}
