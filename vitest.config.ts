import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs neither Docker nor Redis; `integration` uses the real ones
// (scripts/setup-host starts them) and cleans up after itself even when a test fails. A third,
// `chaos`, exists only under BERTH_CHAOS=1 (`npm run chaos`, never in `npm test`): kill -9
// rounds, see docs/reliability.md.
const chaos = {
  test: {
    name: 'chaos',
    include: ['test/chaos/**/*.test.ts'],
    environment: 'node',
    sequence: { groupOrder: 2 },
    globalSetup: ['./test/harness/global-setup.ts'],
    hookTimeout: 120_000,
  },
};

export default defineConfig({
  test: {
    reporters: ['default', './test/harness/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/conformance/**/*.test.ts', 'src/**/*.test.ts'],
          environment: 'node',
          // Unit tests first (fast, no services), then the integration tests.
          sequence: { groupOrder: 0 },
          // Some run the CLI in-process, compiling every schema once per file: on a shared,
          // loaded host that can take more than vitest's default 5 s.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          sequence: { groupOrder: 1 },
          globalSetup: ['./test/harness/global-setup.ts'],
          // Longer than any one wait of a test (WAIT.dockerTimeoutMs, 90 s, in
          // test/harness/eventually.ts) with room for the steps around it: a test that waits
          // for a rollout to degrade and be reverted must fail on the wait that names what did
          // not happen, not on a shorter test deadline (seen at load 15-18 on two cores).
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // Two cores: files run two at a time; each test file owns its namespace and prefix.
          maxWorkers: 2,
        },
      },
      ...(process.env.BERTH_CHAOS === '1' ? [chaos] : []),
    ],
  },
});
