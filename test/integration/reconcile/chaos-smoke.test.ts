import { describe, expect, it } from 'vitest';
import { runChaos, summarize } from '../../chaos/chaos-harness.js';
import { usePrivateRedis } from '../../chaos/private-redis.js';
import { useDocker } from '../../harness/docker.js';
import { useTempDir } from '../../harness/tmp.js';

// The smoke version of `npm run chaos` (issue #14): two rounds, kill -9 in the middle of a
// rollout, then of a scale followed by a restart of the suite's private Redis (never the shared
// one). Each round asserts on the host: converged to Git's newest commit, no orphan container,
// no duplicate, no lost revision, no double revert.
describe('chaos (smoke)', () => {
  const dir = useTempDir('berth-chaos-');
  const docker = useDocker();
  const redis = usePrivateRedis(dir);

  it('kill -9 mid-rollout, then mid-scale with a Redis restart: converges, 0 orphans, 0 duplicates', async () => {
    await redis.start();
    const results = await runChaos(dir, docker, redis, {
      rounds: 2,
      seed: 14,
      plan: ['rollout', 'scale'],
      redisRounds: (round) => round === 2,
      convergeTimeoutMs: 150_000,
      stopOnFailure: true,
      log: (line) => console.log(`chaos: ${line}`),
    });
    expect(results.map((r) => r.failure ?? 'ok')).toEqual(['ok', 'ok']);
    expect(summarize(results)).toMatchObject({ rounds: 2, failures: 0, redisRestarts: 1 });
  }, 420_000);
});
