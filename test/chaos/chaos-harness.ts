import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { isPreviousName } from '../../src/node/index.js';
import { HistoryStore, type StoredObject } from '../../src/store/index.js';
import { berthEnv } from '../harness/berth-env.js';
import { type BerthChild, spawnBerth } from '../harness/berth-process.js';
import type { TestDocker } from '../harness/docker.js';
import { commitFiles, git, initRepo } from '../harness/git.js';
import { Observer, webDeployment } from '../integration/reconcile/reconcile-harness.js';
import type { PrivateRedis } from './private-redis.js';

/** What a chaos round does before Berth is killed. */
export type ChaosAction = 'rollout' | 'scale' | 'prune' | 'rollback';

/** The outcome of one round. */
export interface RoundResult {
  round: number;
  action: ChaosAction;
  /** How long after the change Berth was killed (ms). */
  killAfterMs: number;
  redisRestarted: boolean;
  dockerRestarted: boolean;
  /** From Berth's restart to every invariant holding (ms); undefined when it never did. */
  convergeMs?: number;
  /** What failed, if anything. */
  failure?: string;
}

/** Options of a chaos run. */
export interface ChaosOptions {
  rounds: number;
  seed: number;
  /** The actions of the rounds, in order (default: random, seeded). */
  plan?: readonly ChaosAction[];
  /** Rounds (1-based) after whose kill the private Redis restarts too; default every 5th. */
  redisRounds?: (round: number) => boolean;
  /** Restart dockerd (CHAOS_RESTART_DOCKER=1): disrupts every user of the host. */
  restartDocker?: boolean;
  /** How long a round may take to converge (ms). */
  convergeTimeoutMs?: number;
  log?: (line: string) => void;
  /** Stop at the first failed round (the smoke test: its failure, not a timeout, is reported). */
  stopOnFailure?: boolean;
}

const run = promisify(execFile);
const bad = (version: string) =>
  webDeployment({ replicas: 2, version, probePort: 9999, progressDeadlineSeconds: 4 });
const extra = (version: string) =>
  webDeployment({ name: 'extra', replicas: 1, version, progressDeadlineSeconds: 120 });
const configMap = (v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: chaos}\ndata: {v: "${v}"}\n`;

/** A small seeded PRNG (mulberry32): the same seed replays the same rounds. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The chaos suite (issue #14): a real `berth up` in a process of its own, on a private Redis
 * with AOF, a local Git repository and the host's Docker. Each round commits a change (a rollout,
 * a scale, a prune, or a never-ready rollout that rollback must revert), kills Berth with
 * SIGKILL at a random point of it, sometimes restarts Redis (and dockerd when asked), restarts
 * Berth and waits until everything holds:
 *  - converged: the source applied Git's newest commit (the revert, for a rollback round),
 *    Synced and Healthy; the Deployment runs its replicas, all ready;
 *  - 0 orphans: no container of the instance whose pod (name and UID) is not in the store;
 *  - 0 duplicates: one app container (not counting a kept `previous`) and no sandbox per pod;
 *  - no lost revision: every revision converged on so far is in Berth's history;
 *  - no double revert: no commit is reverted twice.
 */
export async function runChaos(
  dir: string,
  docker: TestDocker,
  redis: PrivateRedis,
  options: ChaosOptions,
): Promise<RoundResult[]> {
  const log = options.log ?? (() => {});
  const random = prng(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const prefix = 'chaos';
  const repo = await initRepo(path.join(dir, 'repo'));
  const config = path.join(dir, 'berth.yaml');
  writeFileSync(
    config,
    `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${prefix}"}\nsources:\n  - {name: shop, repo: ${repo}, rollback: {enabled: true, authorName: Robot, authorEmail: robot@example.com}}\n`,
  );
  const env = { ...(await berthEnv(dir, docker.id, 'state')), BERTH_REDIS_URL: redis.url };
  const observe = new Observer(redis.client, prefix, docker.docker, docker.id);
  const history = new HistoryStore(redis.client, prefix);

  let replicas = 2;
  let version = 1;
  let withExtra = false;
  let extraInRepo = false;
  const files = (): Record<string, string | null> => ({
    'web.yaml': webDeployment({ replicas, version: `v${version}`, progressDeadlineSeconds: 120 }),
    ...(withExtra
      ? { 'extra.yaml': extra(`v${version}`), 'cm.yaml': configMap(`v${version}`) }
      : extraInRepo
        ? { 'extra.yaml': null, 'cm.yaml': null }
        : {}),
  });
  const commit = async (message: string, content = files()) => {
    const sha = await commitFiles(repo, content, message);
    extraInRepo = withExtra;
    return sha;
  };

  const converged: string[] = [];
  const results: RoundResult[] = [];
  let berth: BerthChild | undefined = spawnBerth(['up', '-c', config], { env, cwd: dir });
  try {
    const first = await commit('v1');
    await waitConverged(first, 'initial');
    for (let round = 1; round <= options.rounds; round++) {
      const random4 = pick<ChaosAction>(['rollout', 'scale', 'prune', 'rollback']);
      const action = options.plan?.[round - 1] ?? random4;
      const killAfterMs = Math.floor(random() * 6000);
      const redisRestarted = (options.redisRounds ?? ((r) => r % 5 === 0))(round);
      const result: RoundResult = {
        round,
        action,
        killAfterMs,
        redisRestarted,
        dockerRestarted: false,
      };
      results.push(result);
      try {
        let badCommit: string | undefined;
        if (action === 'rollout') {
          version++;
          await commit(`v${version}`);
        } else if (action === 'scale') {
          replicas = replicas === 2 ? 4 : 2;
          await commit(`scale to ${replicas}`);
        } else if (action === 'prune') {
          withExtra = !withExtra;
          await commit(withExtra ? 'add extra' : 'prune extra');
        } else {
          badCommit = await commit(`v${version + 1} never ready (round ${round})`, {
            ...files(),
            'web.yaml': bad(`v${version + 1}-bad-${round}`),
          });
        }
        await sleep(killAfterMs);
        await berth?.stop('SIGKILL');
        berth = undefined;
        if (redisRestarted) await redis.restart();
        if (options.restartDocker) {
          await run('sh', ['-c', process.env.CHAOS_DOCKER_RESTART ?? 'systemctl restart docker']);
          result.dockerRestarted = true;
        }
        const restarted = Date.now();
        berth = spawnBerth(['up', '-c', config], { env, cwd: dir });
        const head = await waitConverged(undefined, `round ${round} (${action})`, badCommit);
        result.convergeMs = Date.now() - restarted;
        converged.push(head);
        await checkHistory();
        log(
          `round ${round}/${options.rounds} ${action} kill@${killAfterMs}ms${redisRestarted ? ' +redis' : ''}: converged in ${result.convergeMs} ms`,
        );
      } catch (err) {
        result.failure = err instanceof Error ? err.message : String(err);
        log(`round ${round}/${options.rounds} ${action}: FAILED ${result.failure.slice(0, 2000)}`);
        if (options.stopOnFailure) break;
        // Start the next round from a converged host.
        berth ??= spawnBerth(['up', '-c', config], { env, cwd: dir });
        await waitConverged(undefined, `recovery after round ${round}`).catch(() => undefined);
      }
    }
  } finally {
    await berth?.stop('SIGINT');
  }
  return results;

  /** Waits until every invariant holds for Git's newest commit; returns it. */
  async function waitConverged(
    expected: string | undefined,
    what: string,
    badCommit?: string,
  ): Promise<string> {
    const deadline = Date.now() + (options.convergeTimeoutMs ?? 240_000);
    let last = '';
    while (Date.now() < deadline) {
      try {
        const head = await git(repo, 'rev-parse', 'main');
        if (expected && head !== expected) throw new Error(`main is ${head}, not ${expected}`);
        if (badCommit && head === badCommit)
          throw new Error('the never-ready commit is not reverted yet');
        const state = await observe.states.get('shop');
        if (state?.applied !== head || state.sync !== 'Synced' || state.health !== 'Healthy')
          throw new Error(
            `source: applied ${state?.applied?.slice(0, 7)} ${state?.sync} ${state?.health}, Git ${head.slice(0, 7)}`,
          );
        const pods = await observe.pods('web');
        if (pods.length !== replicas || pods.some((p) => !p.ready))
          throw new Error(
            `web: ${pods.filter((p) => p.ready).length}/${pods.length} ready of ${replicas}`,
          );
        await checkContainers();
        await checkReverts();
        return head;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      await sleep(500);
    }
    throw new Error(`${what}: not converged: ${last}\n${berth?.stderr().slice(-3000) ?? ''}`);
  }

  /** 0 orphans, 0 duplicates. */
  async function checkContainers(): Promise<void> {
    const stored = new Map<string, StoredObject>();
    for (const p of await observe.store.list('Pod', 'default')) stored.set(p.metadata.name, p);
    const list = await docker.docker.listContainers({
      all: true,
      filters: JSON.stringify({ label: [`io.berth.instance=${docker.id}`, 'io.berth.kind=Pod'] }),
    });
    const roles = new Map<string, string[]>();
    for (const c of list) {
      const name = c.Labels['io.berth.pod'] ?? '?';
      const pod = stored.get(name);
      if (
        !pod ||
        (c.Labels['io.berth.pod-uid'] && c.Labels['io.berth.pod-uid'] !== pod.metadata.uid)
      )
        throw new Error(`orphan container ${c.Names[0]} (${c.State}) of pod ${name}`);
      if (isPreviousName(c.Names[0] ?? '')) continue;
      roles.set(name, [...(roles.get(name) ?? []), c.Labels['io.berth.container-role'] ?? '?']);
    }
    for (const [name, pod] of stored) {
      const got = (roles.get(name) ?? []).sort().join();
      const phase = (pod.status as { phase?: string } | undefined)?.phase;
      // One app container; no sandbox (a one-container pod runs without one: podSandbox whenNeeded).
      if (phase === 'Running' && got !== 'app')
        throw new Error(`pod ${name} runs [${got}], want one app container and no sandbox`);
    }
  }

  /** No commit reverted twice. */
  async function checkReverts(): Promise<void> {
    const subjects = (await git(repo, 'log', '--format=%s', 'main')).split('\n');
    const seen = new Set<string>();
    for (const s of subjects.filter((x) => x.startsWith('Revert "'))) {
      if (seen.has(s)) throw new Error(`double revert: ${s}`);
      seen.add(s);
    }
  }

  /** Every revision converged on is in the history. */
  async function checkHistory(): Promise<void> {
    const recorded = new Set((await history.list('shop', 1000)).map((h) => h.revision));
    const lost = converged.filter((sha) => !recorded.has(sha));
    if (lost.length > 0) throw new Error(`revisions missing from the history: ${lost.join(', ')}`);
  }
}

/** The figures of a run: rounds, failures, time to converge (median and max). */
export function summarize(results: readonly RoundResult[]) {
  const times = results
    .filter((r) => r.convergeMs !== undefined && !r.failure)
    .map((r) => r.convergeMs as number)
    .sort((a, b) => a - b);
  const median = times.length ? (times[Math.floor((times.length - 1) / 2)] as number) : undefined;
  return {
    rounds: results.length,
    failures: results.filter((r) => r.failure).length,
    redisRestarts: results.filter((r) => r.redisRestarted).length,
    medianConvergeMs: median,
    maxConvergeMs: times.length ? (times[times.length - 1] as number) : undefined,
  };
}
