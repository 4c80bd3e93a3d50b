import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REDIS_URL } from '../../harness/redis.js';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker-process.ts');

/** A worker process started by {@link startWorkerProcess}. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it wrote to stderr, for failure messages. */
  stderr(): string;
}

/** Starts `worker-process.ts` in a child process and resolves once it consumes the queue. */
export function startWorkerProcess(
  prefix: string,
  name: string,
  mode: 'overlap' | 'slow',
  concurrency: number,
): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: {
      ...process.env,
      QUEUE_TEST_PREFIX: prefix,
      QUEUE_TEST_NAME: name,
      QUEUE_TEST_MODE: mode,
      QUEUE_TEST_CONCURRENCY: String(concurrency),
      QUEUE_TEST_REDIS_URL: REDIS_URL,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d) => {
      if (String(d).includes('ready')) resolve({ child, stderr: () => err });
    });
    child.on('exit', (code, signal) =>
      reject(new Error(`worker process exited (${code ?? signal}) before ready: ${err}`)),
    );
  });
}

/** Sends `signal` and resolves when the process has exited. */
export function stopProcess(p: WorkerProcess, signal: NodeJS.Signals): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    p.child.once('exit', () => resolve());
    p.child.kill(signal);
  });
}
