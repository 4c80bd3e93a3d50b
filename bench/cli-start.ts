// Benchmark: how long a `berth` command takes from exec to exit, against `node -e 0` (the
// baseline: Node itself, measured in the same run, interleaved with the commands so that the
// host's load weighs on every row alike). Each command runs RUNS times from the built CLI
// (bin/berth.js over dist/, as a user runs it); the table gives the median wall time, the
// median CPU time (user + system, from /usr/bin/time when the host has it) and the ratio of the
// wall times to the baseline's.
//   berth --help                      nothing but the command line
//   berth get pods                    against a running Berth (started here, 3 pods): its API
//   berth validate examples-repo      the bundled example repository
// Issue #13 targets (medians): --help < 150 ms, get pods < 400 ms, validate < 600 ms.
// BENCH_BERTH_BEFORE=<another checkout>/bin/berth.js adds the same three commands run by that
// build (e.g. the commit before a change), in the same rounds.
//   npm run build && npm run bench:cli-start [-- <runs>]        (default 10)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchBerth } from './bench-berth.js';

const RUNS = Number(process.argv[2] ?? 10);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BERTH = path.join(ROOT, 'bin', 'berth.js');
const TIME = '/usr/bin/time';

interface Row {
  name: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Median wall time must stay under this (ms). */
  target?: number;
  /** Exit code the command must return (a failing command would be fast for the wrong reason). */
  expect: number;
  /** Text its output must contain. */
  output?: string;
  wall: number[];
  cpu: number[];
}

/**
 * Runs `node ...args` once: wall and CPU milliseconds (CPU NaN without /usr/bin/time). Not
 * spawnSync: the Berth that `get pods` asks runs in this process and must go on serving.
 */
async function run(row: Row): Promise<{ wall: number; cpu: number }> {
  const timed = existsSync(TIME);
  const argv = timed
    ? [TIME, '-f', 'berth-bench-cpu %U %S', process.execPath, ...row.args]
    : [process.execPath, ...row.args];
  const start = process.hrtime.bigint();
  const child = spawn(argv[0] as string, argv.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...row.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  const status = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (status !== row.expect || (row.output && !stdout.includes(row.output))) {
    throw new Error(`${row.name}: exit ${status} (expected ${row.expect})\n${stdout}\n${stderr}`);
  }
  const m = /berth-bench-cpu ([\d.]+) ([\d.]+)/.exec(stderr);
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : Number.NaN };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

if (!existsSync(path.join(ROOT, 'dist', 'manifests', 'schema-validators.cjs'))) {
  console.error(
    'bench/cli-start: dist/ is missing or not built by npm run build: run npm run build first',
  );
  process.exit(2);
}

const bench = await startBenchBerth({
  files: {
    'web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: main
          image: berth.local/busybox:1
          command: [sleep, "3600"]
`,
  },
});
const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-cli-start-'));
try {
  // The CLI's view of the running instance: its API, prefix and instance name. Its Redis URL
  // goes nowhere, so `get pods` is answered by the instance's API (what a user gets while
  // `berth up` runs) or fails: a fallback to Redis cannot hide in the numbers.
  const config = path.join(dir, 'berth.yaml');
  writeFileSync(
    config,
    `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${bench.prefix}"}\napi: {listen: "${bench.apiListen}"}\nsources:\n  - {name: bench, repo: ${bench.repo}}\n`,
  );
  const env = {
    BERTH_INSTANCE: bench.id,
    BERTH_REDIS_URL: 'redis://127.0.0.1:1',
    BERTH_CONFIG: config,
  };
  const rows: Row[] = [
    { name: 'node -e 0 (baseline)', args: ['-e', '0'], expect: 0, wall: [], cpu: [] },
    {
      name: 'berth --help',
      args: [BERTH, '--help'],
      target: 150,
      expect: 0,
      output: 'Usage: berth',
      wall: [],
      cpu: [],
    },
    {
      name: 'berth get pods',
      args: [BERTH, 'get', 'pods'],
      env,
      target: 400,
      expect: 0,
      output: 'web-',
      wall: [],
      cpu: [],
    },
    {
      name: 'berth validate examples-repo',
      args: [BERTH, 'validate', 'examples-repo'],
      target: 600,
      expect: 0,
      output: 'valid: ',
      wall: [],
      cpu: [],
    },
  ];
  const before = process.env.BENCH_BERTH_BEFORE;
  if (before) {
    for (const row of rows.slice(1))
      rows.push({
        ...row,
        name: `${row.name} (before)`,
        args: [before, ...row.args.slice(1)],
        wall: [],
        cpu: [],
      });
  }
  // One warm-up round (file cache), then RUNS rounds, the commands interleaved.
  for (const row of rows) await run(row);
  for (let i = 0; i < RUNS; i++) {
    for (const row of rows) {
      const { wall, cpu } = await run(row);
      row.wall.push(wall);
      row.cpu.push(cpu);
    }
  }
  const base = median((rows[0] as Row).wall);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  console.log(`median of ${RUNS} runs each; ${os.cpus().length} CPUs, load average ${load}`);
  const header = ['command', 'wall ms', 'x node -e 0', 'cpu ms', 'target', ''];
  const lines = rows.map((r) => {
    const wall = median(r.wall);
    const cpu = median(r.cpu);
    return [
      r.name,
      wall.toFixed(0),
      (wall / base).toFixed(2),
      Number.isNaN(cpu) ? '-' : cpu.toFixed(0),
      r.target ? `< ${r.target} ms` : '',
      r.target ? (wall < r.target ? 'met' : 'NOT met') : '',
    ];
  });
  const widths = header.map((h, i) =>
    Math.max(h.length, ...lines.map((l) => (l[i] as string).length)),
  );
  for (const l of [header, ...lines])
    console.log(
      l
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
        .join('  ')
        .trimEnd(),
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
  await bench.cleanup();
}
