import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useDocker } from '../harness/docker.js';
import { useTempDir } from '../harness/tmp.js';
import { runChaos, summarize } from './chaos-harness.js';
import { usePrivateRedis } from './private-redis.js';

// `npm run chaos`: the full chaos suite (not in CI). CHAOS_ROUNDS (default 20), CHAOS_SEED
// (default: the time), CHAOS_RESTART_DOCKER=1 to restart dockerd each round (it stops every
// container of every user of the host: never on a shared machine), CHAOS_REPORT=<file> for the
// rounds as JSON. See docs/reliability.md, "Chaos".
const rounds = Number(process.env.CHAOS_ROUNDS ?? 20);
const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);

describe('chaos', () => {
  const dir = useTempDir('berth-chaos-');
  const docker = useDocker();
  const redis = usePrivateRedis(dir);

  it(`${rounds} rounds of kill -9 across rollouts, scale, prune and rollback (seed ${seed})`, async () => {
    await redis.start();
    const results = await runChaos(dir, docker, redis, {
      rounds,
      seed,
      restartDocker: process.env.CHAOS_RESTART_DOCKER === '1',
      log: (line) => process.stderr.write(`[chaos] ${line}\n`),
    });
    const summary = summarize(results);
    process.stderr.write(`[chaos] seed ${seed}: ${JSON.stringify(summary)}\n`);
    if (process.env.CHAOS_REPORT)
      writeFileSync(process.env.CHAOS_REPORT, JSON.stringify({ seed, summary, results }, null, 2));
    expect(results.filter((r) => r.failure)).toEqual([]);
  }, 0);
});
