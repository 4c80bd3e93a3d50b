// Source latencies, each against a baseline measured in the same run:
//  1. `git commit` in a local repository → the watcher's onRevision (target < 500 ms),
//     against a raw fs.watch on refs/heads (the floor any watcher can reach) and against the
//     time `git commit` itself takes.
//  2. webhook request → the start of the fetch (target < 100 ms), against a bare node:http
//     round trip on the same host.
// Run: npm run bench:source   (needs Redis at BERTH_REDIS_URL or 127.0.0.1:6379)
import { randomBytes } from 'node:crypto';
import { watch } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startApiServer, WebhookHandler } from '../src/api/index.js';
import { compileConfig, type SourceConfig } from '../src/config/index.js';
import { createSourceWatcher, type Revision } from '../src/source/index.js';
import { WebhookDeliveries } from '../src/store/index.js';
import { commitFiles, initRepo } from '../test/harness/git.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

function stats(values: number[]): { median: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { median: at(0.5), p95: at(0.95) };
}
const ms = (v: number) => `${v.toFixed(1)} ms`;

/** Resolves with the time `arm()`'s promise is settled, or rejects after 5 s (a lost commit). */
function deadline<T>(what: string, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what}: not seen within 5 s`)), 5000).unref(),
    ),
  ]);
}

async function localCommitLatency(tmp: string): Promise<void> {
  const repo = await initRepo(path.join(tmp, 'repo'));
  await commitFiles(repo, { 'deploy/app.yaml': 'kind: ConfigMap\n' }, 'first');
  const source = compileConfig({ source: { name: 'bench', repo }, env: {} })
    .sources[0] as SourceConfig;
  let resolveSeen: ((rev: Revision) => void) | undefined;
  const watcher = createSourceWatcher({
    source,
    stateDir: path.join(tmp, 'state'),
    localRecheckMs: 3_600_000,
    onRevision: (rev) => resolveSeen?.(rev),
  });
  await watcher.start();
  // Phase 1: the watcher. Each commit starts as soon as the previous one was seen.
  const seen: number[] = [];
  const commitTime: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const revision = new Promise<number>((resolve) => {
      resolveSeen = () => resolve(performance.now());
    });
    const t0 = performance.now();
    const sha = await commitFiles(
      repo,
      { 'deploy/app.yaml': `kind: ConfigMap\n# ${i}\n` },
      `commit ${i}`,
    );
    const committed = performance.now();
    const seenAt = await deadline(`commit ${i}`, revision);
    if (watcher.status().revision?.sha !== sha) throw new Error('the watcher saw another commit');
    seen.push(seenAt - t0);
    commitTime.push(committed - t0);
  }
  await watcher.stop();
  // Phase 2 (baseline): a raw fs.watch on refs/heads, the floor any file watcher can reach.
  const rawSeen: number[] = [];
  let rawHit: (() => void) | undefined;
  const raw = watch(path.join(repo, '.git', 'refs', 'heads'), (_event, file) => {
    if (file === 'main') rawHit?.();
  });
  for (let i = 0; i < ROUNDS; i++) {
    const hit = new Promise<number>((resolve) => {
      rawHit = () => resolve(performance.now());
    });
    const t0 = performance.now();
    await commitFiles(repo, { 'deploy/app.yaml': `kind: ConfigMap\n# raw ${i}\n` }, `raw ${i}`);
    rawSeen.push((await deadline(`raw commit ${i}`, hit)) - t0);
  }
  raw.close();
  const s = stats(seen);
  const r = stats(rawSeen);
  const c = stats(commitTime);
  console.log(
    `local commit → revision seen (${ROUNDS} commits back to back, timed from the start of \`git add\`+\`git commit\`)`,
  );
  console.log(
    `  watcher      median ${ms(s.median)}  p95 ${ms(s.p95)}   target < 500 ms: ${s.p95 < 500 ? 'met' : 'MISSED'}`,
  );
  console.log(
    `  raw fs.watch median ${ms(r.median)}  p95 ${ms(r.p95)}   (baseline: the ref file changing)`,
  );
  console.log(
    `  git itself   median ${ms(c.median)}  p95 ${ms(c.p95)}   (baseline: the git commands returning)`,
  );
  console.log(
    `  ratio watcher / raw fs.watch: ${(s.median / r.median).toFixed(2)}x, watcher / git: ${(s.median / c.median).toFixed(2)}x`,
  );
}

async function webhookLatency(): Promise<void> {
  const redis = new Redis(process.env.BERTH_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: 3,
  });
  const prefix = `berth-bench:${randomBytes(4).toString('hex')}`;
  const secret = 'bench-secret';
  const source = compileConfig({
    source: {
      name: 'app',
      repo: 'https://git.example.test/app.git',
      webhookSecret: { env: 'HOOK' },
    },
    env: {},
  }).sources[0] as SourceConfig;
  let fetchStarted: (() => void) | undefined;
  const handler = new WebhookHandler({
    target: () => ({ source, refresh: () => fetchStarted?.() }),
    deliveries: new WebhookDeliveries(redis, prefix),
    env: { HOOK: secret },
    rateLimit: { burst: 1_000_000 },
  });
  const api = await startApiServer({ port: 0, webhooks: handler });
  const baseline = http.createServer((_req, res) => {
    _req.resume();
    _req.on('end', () => res.writeHead(202).end('{}'));
  });
  await new Promise<void>((r) => baseline.listen(0, '127.0.0.1', () => r()));
  const baseUrl = `http://127.0.0.1:${(baseline.address() as AddressInfo).port}/`;
  const { createHmac } = await import('node:crypto');
  const toStart: number[] = [];
  const toAnswer: number[] = [];
  const rawRoundTrip: number[] = [];
  for (let i = 0; i < ROUNDS * 5; i++) {
    const body = JSON.stringify({ ref: 'refs/heads/main', after: `${i}`.padStart(40, '0') });
    const headers = {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': `bench-${i}`,
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    };
    const started = new Promise<number>((resolve) => {
      fetchStarted = () => resolve(performance.now());
    });
    const t0 = performance.now();
    const res = await fetch(`${api.url}/api/v1/webhooks/app`, { method: 'POST', body, headers });
    await res.text();
    const answered = performance.now();
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
    toStart.push((await started) - t0);
    toAnswer.push(answered - t0);
    const b0 = performance.now();
    await (await fetch(baseUrl, { method: 'POST', body, headers })).text();
    rawRoundTrip.push(performance.now() - b0);
  }
  await api.close();
  await new Promise<void>((r) => baseline.close(() => r()));
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
  redis.disconnect();
  const s = stats(toStart);
  const a = stats(toAnswer);
  const b = stats(rawRoundTrip);
  console.log(
    `webhook request → fetch start (${toStart.length} signed GitHub pushes, Redis replay guard)`,
  );
  console.log(
    `  fetch start  median ${ms(s.median)}  p95 ${ms(s.p95)}   target < 100 ms: ${s.p95 < 100 ? 'met' : 'MISSED'}`,
  );
  console.log(`  202 answered median ${ms(a.median)}  p95 ${ms(a.p95)}`);
  console.log(`  raw node:http round trip median ${ms(b.median)}  p95 ${ms(b.p95)}   (baseline)`);
  console.log(`  ratio fetch start / raw round trip: ${(s.median / b.median).toFixed(2)}x`);
}

const tmp = await mkdtemp(path.join(os.tmpdir(), 'berth-bench-'));
try {
  await localCommitLatency(tmp);
  await webhookLatency();
} finally {
  await rm(tmp, { recursive: true, force: true });
}
