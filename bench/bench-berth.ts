// A whole Berth (sources, controllers, node role) running in the benchmark's process against a
// local git repository in a temporary directory, with an instance name, Redis prefix, pod subnet
// and directories of its own, and the one call that removes all of it. Shared by the benchmarks
// that measure the reconcile loop end to end (converge.ts, noop-resync.ts).
import { rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import type { Redis } from 'ioredis';
import { validatePolicy } from '../src/cli/policy.js';
import { loadConfig } from '../src/config/index.js';
import { type BerthProcess, startBerth } from '../src/daemon/index.js';
import { connectRedis, type SourceState, SourceStateStore } from '../src/store/index.js';
import { ipv4ToNumber, numberToIPv4 } from '../src/util/ipv4.js';
import { createLogger } from '../src/util/logger.js';
import { removeLabelled } from '../test/harness/docker.js';
import { commitFiles, git, initRepo } from '../test/harness/git.js';
import { freePort } from '../test/harness/ports.js';
import { deleteByPrefix, REDIS_URL } from '../test/harness/redis.js';
import { uniqueId } from '../test/harness/run-id.js';

/** The Docker client of the benchmarks (BERTH_DOCKER_SOCKET, else the default socket). */
export function benchDocker(): Docker {
  return new Docker({ socketPath: process.env.BERTH_DOCKER_SOCKET ?? '/var/run/docker.sock' });
}

/** Options of {@link startBenchBerth}. */
export interface BenchBerthOptions {
  /** Files of the first commit, made before Berth starts (path -> YAML). */
  files: Record<string, string>;
  /** How often a settled source is synced again. Default 1 h: the benchmark triggers resyncs itself. */
  resyncMs?: number;
  /** Berth's log level. Default `warn` (BENCH_LOG_LEVEL overrides). */
  logLevel?: string;
  /** network.podSandbox. Default Berth's. */
  podSandbox?: 'always' | 'whenNeeded';
}

/** A Berth started by {@link startBenchBerth}. */
export interface BenchBerth {
  /** Instance name, also in the Redis prefix and the temporary directory. */
  id: string;
  prefix: string;
  repo: string;
  docker: Docker;
  redis: Redis;
  berth: BerthProcess;
  states: SourceStateStore;
  /** The source's name in berth.yaml. */
  source: string;
  /** Where its API listens (`127.0.0.1:<port>`), for a CLI pointed at it. */
  apiListen: string;
  /** The revision of the first commit. */
  first: string;
  /** Writes and `git add`s `files`; `commit()` then commits them and returns the sha. */
  stage(files: Record<string, string>): Promise<() => Promise<string>>;
  /** Resolves with the source's state once `revision` is applied, Synced and Healthy. */
  settled(revision: string, timeoutMs?: number): Promise<SourceState>;
  /** Stops Berth and removes its containers, networks, volumes, Redis keys and directories. */
  cleanup(): Promise<void>;
}

/**
 * A subnet of 10.200.0.0-10.249.255.255 for the pod network that overlaps no Docker network's (so
 * concurrent Berths never clash): a /24 (253 pod addresses) unless a larger `prefix` is asked for.
 */
export async function freePodSubnet(docker: Docker, prefix = 24): Promise<string> {
  const used: Array<[number, number]> = [];
  for (const n of await docker.listNetworks()) {
    for (const c of n.IPAM?.Config ?? []) {
      const [ip, bits] = (c.Subnet ?? '').split('/');
      const start = ipv4ToNumber(ip ?? '');
      if (start === undefined) continue; // IPv6
      used.push([start, start + 2 ** (32 - Number(bits)) - 1]);
    }
  }
  const size = 2 ** (32 - prefix);
  const first = ipv4ToNumber('10.200.0.0') as number;
  const blocks = (50 * 65536) / size;
  for (let tries = 0; tries < 1000; tries++) {
    const start = first + Math.floor(Math.random() * blocks) * size;
    const end = start + size - 1;
    if (used.some(([a, b]) => a <= end && start <= b)) continue;
    return `${numberToIPv4(start)}/${prefix}`;
  }
  throw new Error(`no free /${prefix} in 10.200-249.x.x for the pod network`);
}

/**
 * Commits `files` to a new repository, starts Berth on it in this process (all roles) and
 * waits until the first revision is applied, Synced and Healthy.
 */
export async function startBenchBerth(options: BenchBerthOptions): Promise<BenchBerth> {
  const id = uniqueId('bench');
  const prefix = `berth-bench:${id}`;
  const dir = await mkdtemp(path.join(os.tmpdir(), `berth-${id}-`));
  const memoryDir = `/dev/shm/berth/${id}`;
  const docker = benchDocker();
  const repo = await initRepo(path.join(dir, 'repo'));
  const first = await commitFiles(repo, options.files, 'first');
  const configFile = path.join(dir, 'berth.yaml');
  writeFileSync(
    configFile,
    `apiVersion: berth.dev/v1alpha1
kind: BerthConfig
redis: {keyPrefix: "${prefix}"}
network: {podCIDR: "${await freePodSubnet(docker)}"${options.podSandbox ? `, podSandbox: ${options.podSandbox}` : ''}}
sources:
  - {name: bench, repo: ${repo}}
`,
  );
  const apiListen = `127.0.0.1:${await freePort()}`;
  const config = loadConfig({
    path: configFile,
    env: {
      BERTH_INSTANCE: id,
      BERTH_STATE_DIR: path.join(dir, 'state'),
      BERTH_REDIS_URL: REDIS_URL,
      BERTH_API_LISTEN: apiListen,
      BERTH_DOCKER_SOCKET: process.env.BERTH_DOCKER_SOCKET ?? '/var/run/docker.sock',
    },
  });
  const redis = await connectRedis(config.redis.url);
  const logger = createLogger({
    level: process.env.BENCH_LOG_LEVEL ?? options.logLevel ?? 'warn',
    format: 'text',
  });
  const states = new SourceStateStore(redis, prefix);
  let berth: BerthProcess | undefined;
  const cleanup = async () => {
    await berth?.stop().catch(() => {});
    await removeLabelled(docker, id);
    await deleteByPrefix(redis, prefix);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
    rmSync(memoryDir, { recursive: true, force: true });
  };
  const settled = async (revision: string, timeoutMs = 300_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = await states.get('bench');
      if (s?.applied === revision && s.sync === 'Synced' && s.health === 'Healthy') return s;
      if (Date.now() > deadline) {
        throw new Error(
          `revision ${revision.slice(0, 7)} not settled after ${timeoutMs} ms: ${JSON.stringify(s)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  try {
    berth = await startBerth({
      config,
      redis,
      docker,
      logger,
      policy: validatePolicy(config),
      resyncMs: options.resyncMs ?? 3_600_000,
      node: { memoryDir },
    });
    await settled(first);
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    id,
    prefix,
    repo,
    docker,
    redis,
    berth,
    states,
    source: 'bench',
    apiListen,
    first,
    stage: async (files) => {
      for (const [name, content] of Object.entries(files)) {
        writeFileSync(path.join(repo, name), content);
        await git(repo, 'add', '--', name);
      }
      return async () => {
        await git(repo, 'commit', '--quiet', '-m', 'bench');
        return git(repo, 'rev-parse', 'HEAD');
      };
    },
    settled,
    cleanup,
  };
}
