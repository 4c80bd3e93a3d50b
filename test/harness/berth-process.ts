import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll } from 'vitest';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.join(HERE, 'berth-main.ts');
// tsx's loader by path: `--import tsx` would resolve from the child's working directory.
const TSX = pathToFileURL(
  path.join(HERE, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs'),
).href;
const running = new Set<ChildProcess>();

/** A `berth` command running in a child process. */
export interface BerthChild {
  child: ChildProcess;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** Resolves once `text` appears on stderr; rejects after `timeoutMs` or when the process exits first. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Sends `signal` (default SIGINT, Ctrl-C) and resolves with the exit code once it is gone. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `berth <args>` from the sources in a child process (killed after the test file if the
 * test did not stop it).
 */
export function spawnBerth(
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string },
): BerthChild {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let err = '';
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  child.stdout?.on('data', () => {});
  return {
    child,
    stderr: () => err,
    waitFor: (text, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const seen = () => (typeof text === 'string' ? err.includes(text) : text.test(err));
        const deadline = Date.now() + timeoutMs;
        const tick = () => {
          if (seen()) return resolve();
          if (child.exitCode !== null || child.signalCode !== null)
            return reject(new Error(`berth exited before printing ${text}:\n${err.slice(-3000)}`));
          if (Date.now() > deadline)
            return reject(new Error(`timed out waiting for ${text}:\n${err.slice(-3000)}`));
          setTimeout(tick, 100);
        };
        tick();
      }),
    stop: (signal = 'SIGINT') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});
