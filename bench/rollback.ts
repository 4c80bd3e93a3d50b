// Automated rollback, timed from Berth's own events (each carries its time):
//   ProgressDeadlineExceeded (the Deployment gave up) → RolledBack (the revert commit is on the
//   branch; target < 2 s) → SyncSucceeded of the revert (healthy again).
// Baseline measured in the same run: `git revert --no-edit` of the same commit by the git CLI in
// a copy of the repository — what a person's fastest manual revert costs once they decided.
// Real Docker and Redis (scripts/setup-host); a local repository.
//   npm run bench:rollback          BENCH_ROUNDS=3 by default
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Docker from 'dockerode';
import { Redis } from 'ioredis';
import { compileConfig } from '../src/config/index.js';
import { startBerth } from '../src/daemon/index.js';
import { RedisEventStore, SourceStateStore } from '../src/store/index.js';
import { createLogger } from '../src/util/logger.js';
import { commitFiles, git, initRepo } from '../test/harness/git.js';
import { webDeployment } from '../test/integration/reconcile/reconcile-harness.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REDIS_URL = process.env.BERTH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const good = (v: string) => webDeployment({ replicas: 2, version: v, progressDeadlineSeconds: 2 });
const bad = (v: string) =>
  webDeployment({ replicas: 2, version: v, probePort: 9999, progressDeadlineSeconds: 2 });

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 120_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'berth-bench-rollback-'));
const instance = `benchrb${process.pid}`;
const prefix = `berth-bench:${instance}`;
const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const docker = new Docker();
const repo = await initRepo(path.join(dir, 'repo'));
await commitFiles(repo, { 'web.yaml': good('v0') }, 'v0');
const config = compileConfig({
  env: {
    BERTH_INSTANCE: instance,
    BERTH_STATE_DIR: path.join(dir, 'state'),
    BERTH_REDIS_URL: REDIS_URL,
    BERTH_API_LISTEN: `127.0.0.1:${30_000 + (process.pid % 10_000)}`,
    BERTH_INGRESS_PORT: String(20_000 + (process.pid % 10_000)),
    BERTH_POD_CIDR: `10.${200 + (process.pid % 50)}.${process.pid % 256}.0/24`,
    BERTH_SERVICE_CIDR: `10.${100 + (process.pid % 50)}.${process.pid % 256}.0/24`,
  },
  cwd: dir,
  file: {
    apiVersion: 'berth.dev/v1alpha1',
    kind: 'BerthConfig',
    redis: { keyPrefix: prefix },
    sources: [{ name: 'shop', repo, rollback: { enabled: true, maxConsecutive: 100 } }],
  } as never,
});
const logger = createLogger({ level: 'warn' });
const berth = await startBerth({
  config,
  redis,
  docker,
  logger,
  policy: { podSecurity: 'baseline' },
});
const states = new SourceStateStore(redis, prefix);
const events = new RedisEventStore(redis, prefix);
const rows: Array<{ detect: number; healthy: number; gitRevert: number }> = [];

try {
  for (let round = 0; round < ROUNDS; round++) {
    const healthy = await git(repo, 'rev-parse', 'HEAD');
    await until('healthy', async () => {
      const s = await states.get('shop');
      return s?.applied === healthy && s.health === 'Healthy' ? s : undefined;
    });
    const broken = await commitFiles(repo, { 'web.yaml': bad(`bad${round}`) }, `bad ${round}`);
    const revert = await until('the revert commit', async () => {
      const head = await git(repo, 'rev-parse', 'HEAD');
      return head !== broken ? head : undefined;
    });
    const settled = await until('healthy again', async () => {
      const s = await states.get('shop');
      return s?.applied === revert && s.health === 'Healthy' ? s : undefined;
    });
    void settled;
    const recent = await events.recent({ limit: 200 });
    const at = (reason: string, revision?: string) => {
      const e = recent.find((x) => x.reason === reason && (!revision || x.revision === revision));
      if (!e) throw new Error(`no ${reason} event`);
      return Date.parse(e.time);
    };
    const deadline = at('ProgressDeadlineExceeded');
    const rolledBack = at('RolledBack', revert);
    const healthyAgain = at('SyncSucceeded', revert);

    // Baseline: git's own revert of the same commit, in a clone.
    const clone = path.join(dir, `clone-${round}`);
    execFileSync('git', ['clone', '-q', repo, clone]);
    execFileSync('git', ['reset', '-q', '--hard', broken], { cwd: clone });
    const t0 = performance.now();
    execFileSync(
      'git',
      ['-c', 'user.name=b', '-c', 'user.email=b@b', 'revert', '--no-edit', broken],
      {
        cwd: clone,
        stdio: 'ignore',
      },
    );
    const gitRevert = performance.now() - t0;
    rows.push({ detect: rolledBack - deadline, healthy: healthyAgain - deadline, gitRevert });
    // Fix forward so the next round starts from a healthy non-revert revision.
    await commitFiles(repo, { 'web.yaml': good(`v${round + 1}`) }, `v${round + 1}`);
  }
} finally {
  const host = berth.node?.host;
  await berth.stop();
  // What `berth down` does: the containers, the network and the proxy's chains; then the keys.
  const filters = JSON.stringify({ label: [`io.berth.instance=${instance}`] });
  for (const c of await docker.listContainers({ all: true, filters }))
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  await host?.down().catch(() => undefined);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
  await rm(dir, { recursive: true, force: true });
}

console.log('round  deadline→revert committed  deadline→healthy again  git revert (CLI)  ratio');
rows.forEach((r, i) => {
  console.log(
    `${String(i + 1).padEnd(6)} ${`${r.detect} ms`.padEnd(26)} ${`${r.healthy} ms`.padEnd(23)} ${`${r.gitRevert.toFixed(0)} ms`.padEnd(16)} ${(r.detect / r.gitRevert).toFixed(1)}x`,
  );
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
console.log(
  `median: revert committed ${median(rows.map((r) => r.detect))} ms after ProgressDeadlineExceeded (target < 2000 ms), healthy again after ${median(rows.map((r) => r.healthy))} ms; git revert alone ${median(rows.map((r) => r.gitRevert)).toFixed(0)} ms`,
);
