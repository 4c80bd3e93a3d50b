// wrk (the Debian package) as the benchmarks' HTTP load generator: one bounded run against a URL,
// parsed into requests/s and latency percentiles.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One wrk run's result. */
export interface WrkResult {
  requestsPerSecond: number;
  /** 99th percentile latency, ms. */
  p99Ms: number;
  /** Requests that got no 2xx/3xx answer, or failed to connect/read/write/time out. */
  errors: number;
  requests: number;
  /** CPU time the proxy spent per request, µs (filled in by the caller that can measure it). */
  cpuUsPerRequest?: number;
}

/** The wrk version, or an explanation of how to install it. */
export async function wrkVersion(): Promise<{ version: string } | { missing: string }> {
  try {
    const { stdout, stderr } = await run('wrk', ['--version']).catch(
      (err: { stdout: string; stderr: string }) => err,
    );
    const m = /wrk (\S+)/.exec(stdout + stderr);
    if (m) return { version: m[1] as string };
  } catch {}
  return { missing: 'wrk is not installed: `sudo apt-get install -y wrk` (or scripts/setup-host)' };
}

/** Runs `wrk -c <connections> -d <seconds>s --latency <url>` (threads: min(2, connections)). */
export async function wrk(url: string, connections: number, seconds: number): Promise<WrkResult> {
  const threads = Math.min(2, connections);
  const { stdout } = await run(
    'wrk',
    [
      '-t',
      `${threads}`,
      '-c',
      `${connections}`,
      '-d',
      `${seconds}s`,
      '--timeout',
      '10s',
      '--latency',
      url,
    ],
    { timeout: (seconds + 30) * 1000 },
  );
  const num = (re: RegExp) => {
    const m = re.exec(stdout);
    return m ? Number(m[1]) : 0;
  };
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)\s*$/m.exec(stdout);
  if (!p99) throw new Error(`wrk output without a 99% latency:\n${stdout}`);
  const scale = { us: 0.001, ms: 1, s: 1000 }[p99[2] as 'us' | 'ms' | 's'];
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    stdout,
  );
  const errors =
    num(/Non-2xx or 3xx responses: (\d+)/) +
    (socketErrors ? socketErrors.slice(1).reduce((n, x) => n + Number(x), 0) : 0);
  return {
    requestsPerSecond: num(/Requests\/sec:\s+([\d.]+)/),
    p99Ms: Number(p99[1]) * scale,
    errors,
    requests: num(/(\d+) requests in/),
  };
}
