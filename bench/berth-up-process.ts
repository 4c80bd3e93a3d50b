// A production `berth up` for the benchmarks that measure Berth as users run it: `node
// bin/berth.js up` from `dist/` (npm run build first) in a child process, on a local git
// repository, with an instance name, Redis prefix, pod subnet, API port and directories of its
// own; its peak RSS read from /proc; and the one call that stops it and removes all it made.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import { connectRedis, type SourceState, SourceStateStore } from '../src/store/index.js';
import { removeLabelled } from '../test/harness/docker.js';
import { commitFiles, initRepo } from '../test/harness/git.js';
import { freePort } from '../test/harness/ports.js';
import { deleteByPrefix, REDIS_URL } from '../test/harness/redis.js';
import { uniqueId } from '../test/harness/run-id.js';
import { benchDocker, freePodSubnet } from './bench-berth.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BIN = path.join(ROOT, 'bin', 'berth.js');

/** A `berth up` child started by {@link startBerthUp}. */
export interface BerthUp {
  id: string;
  pid: number;
  repo: string;
  docker: Docker;
  redis: Redis;
  /** Commits `files` (path -> YAML, null deletes) and returns the sha. */
  commit(files: Record<string, string | null>, message?: string): Promise<string>;
  /** Resolves with the source's state once `revision` is applied, Synced and Healthy. */
  settled(revision: string, timeoutMs?: number): Promise<SourceState>;
  /** The process's memory high-water mark (VmHWM), MiB. */
  peakRssMiB(): number;
  /** The current RSS (VmRSS), MiB. */
  rssMiB(): number;
  /** Resets the high-water mark to the current RSS (/proc/<pid>/clear_refs). */
  resetPeak(): void;
  /** Stops Berth (SIGINT, then SIGKILL after 30 s) and removes everything it made. */
  cleanup(): Promise<void>;
}

/** Throws with the fix when `dist/` is missing (the benchmark measures the built Berth). */
export function requireDist(): void {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error(
      'dist/ is missing: run `npm run build` first (this benchmark runs Berth from dist/)',
    );
  }
}

function status(pid: number, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
    readFileSync(`/proc/${pid}/status`, 'utf8'),
  );
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/**
 * Commits `files` to a new repository and starts `berth up` on it (all roles, from `dist/`,
 * NODE_ENV=production, JSON logs at warn); resolves once the first revision is Synced and Healthy.
 */
export async function startBerthUp(
  files: Record<string, string>,
  options: { podPrefix?: number } = {},
): Promise<BerthUp> {
  requireDist();
  const id = uniqueId('bench');
  const prefix = `berth-bench:${id}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), `berth-${id}-`));
  const docker = benchDocker();
  const repo = await initRepo(path.join(dir, 'repo'));
  const first = await commitFiles(repo, files, 'first');
  const configFile = path.join(dir, 'berth.yaml');
  writeFileSync(
    configFile,
    `apiVersion: berth.dev/v1alpha1
kind: BerthConfig
redis: {keyPrefix: "${prefix}"}
network: {podCIDR: "${await freePodSubnet(docker, options.podPrefix)}", ingressPort: ${await freePort()}}
sources:
  - {name: bench, repo: ${repo}}
`,
  );
  const redis = await connectRedis(REDIS_URL);
  const states = new SourceStateStore(redis, prefix);
  // BENCH_NODE_ARGS: flags Node refuses in NODE_OPTIONS (e.g. `--cpu-prof --cpu-prof-dir=DIR`).
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, BIN, 'up', '-c', configFile], {
    cwd: dir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '',
      BERTH_INSTANCE: id,
      BERTH_STATE_DIR: path.join(dir, 'state'),
      BERTH_REDIS_URL: REDIS_URL,
      BERTH_API_LISTEN: `127.0.0.1:${await freePort()}`,
      BERTH_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
      BERTH_LOG_FORMAT: 'json',
      BERTH_DOCKER_SOCKET: process.env.BERTH_DOCKER_SOCKET ?? '/var/run/docker.sock',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid as number;
  const cleanup = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    await removeLabelled(docker, id);
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
    rmSync(`/dev/shm/berth/${id}`, { recursive: true, force: true });
  };
  const settled = async (revision: string, timeoutMs = 900_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`berth up exited ${child.exitCode}:\n${stderr}`);
      const s = await states.get('bench');
      if (s?.applied === revision && s.sync === 'Synced' && s.health === 'Healthy') return s;
      if (Date.now() > deadline) {
        throw new Error(
          `revision ${revision.slice(0, 7)} not settled after ${timeoutMs} ms: ${JSON.stringify(s)}\n${stderr}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    await settled(first);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    id,
    pid,
    repo,
    docker,
    redis,
    commit: (more, message = 'bench') => commitFiles(repo, more, message),
    settled,
    peakRssMiB: () => status(pid, 'VmHWM'),
    rssMiB: () => status(pid, 'VmRSS'),
    resetPeak: () => writeFileSync(`/proc/${pid}/clear_refs`, '5'),
    cleanup,
  };
}
