import { defineConfig } from 'vitest/config';

// Two projects: `unit` needs neither Docker nor Redis; `integration` uses the real ones
// (scripts/setup-host starts them) and cleans up after itself even when a test fails.
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
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two cores: files run two at a time; each test file owns its namespace and prefix.
          maxWorkers: 2,
        },
      },
    ],
  },
});
