// Dashboard page load for a source of 200 objects (40 Deployments, each with a ReplicaSet and 3
// Pods), against a baseline measured in the same run: the same HTML bytes as a static file from
// an in-memory node:http server (which also serves the same script and stylesheet, cached the
// way the API server caches them). Timed three ways, median of BENCH_ROUNDS each:
//   - the HTTP answer (server render + transfer), from node's fetch;
//   - "tree shown", in Debian's chromium: navigation start → the first frame painted after the
//     whole tree is in the DOM (the page's own clock: performance.now() in a requestAnimationFrame
//     after DOMContentLoaded), and navigation start → the load event; warm (a tab that loaded the
//     page before: cached assets) and cold (a fresh browser context per round: nothing cached);
//   - the wall clock of playwright's goto(…, load) (adds the DevTools round trips).
// Target (#18): the page shows its tree in < 300 ms.
//   npm run bench:dashboard          BENCH_ROUNDS=15 by default

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { Redis } from 'ioredis';
import { type Browser, chromium, type Page } from 'playwright-core';
import { StateReader, startApiServer } from '../src/api/index.js';
import { RedisObjectStore, SourceStateStore } from '../src/store/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const REDIS_URL = process.env.BERTH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `berth-bench-dash:${randomBytes(4).toString('hex')}`;
const redis = new Redis(REDIS_URL);
const store = new RedisObjectStore(redis, prefix);
const ann = { 'berth.dev/source': 'bench' };
const ref = (kind: string, name: string) => [
  { apiVersion: 'apps/v1', kind, name, uid: name, controller: true },
];
for (let d = 0; d < 40; d++) {
  const name = `app-${d}`;
  await store.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', annotations: ann },
    spec: { replicas: 3 },
  });
  await store.putStatus(`Deployment/default/${name}`, {
    replicas: 3,
    readyReplicas: 3,
    updatedReplicas: 3,
    availableReplicas: 3,
    observedGeneration: 1,
  });
  await store.apply({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${name}-rs`,
      namespace: 'default',
      annotations: ann,
      ownerReferences: ref('Deployment', name),
    },
    spec: { replicas: 3 },
  });
  for (let p = 0; p < 3; p++) {
    const pod = `${name}-rs-${p}`;
    await store.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod,
        namespace: 'default',
        annotations: ann,
        ownerReferences: ref('ReplicaSet', `${name}-rs`),
      },
      spec: { containers: [{ name: 'web', image: 'web:1' }] },
    });
    await store.putStatus(`Pod/default/${pod}`, {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'web', ready: true, restartCount: 0 }],
    });
  }
}
await new SourceStateStore(redis, prefix).update('bench', {
  repo: '/srv/bench',
  ref: 'branch main',
  prune: true,
  selfHeal: true,
  sync: 'Synced',
  health: 'Healthy',
});
const state = new StateReader({ redis, prefix, instance: 'bench', sources: [] });
const api = await startApiServer({ port: 0, state });
const pageUrl = `${api.url}/sources/bench`;
const first = await fetch(pageUrl);
const html = await first.text();
const objects = (html.match(/data-key=/g) ?? []).length;
// The baseline: the same bytes, static, from memory; its assets too, with the same headers.
const assets = new Map<string, { headers: Record<string, string>; body: Buffer }>();
for (const m of html.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)) {
  const res = await fetch(`${api.url}${m[1]}`);
  const headers: Record<string, string> = {};
  for (const h of ['content-type', 'cache-control', 'etag']) {
    const v = res.headers.get(h);
    if (v) headers[h] = v;
  }
  assets.set(m[1] as string, { headers, body: Buffer.from(await res.arrayBuffer()) });
}
const staticServer = http.createServer((req, res) => {
  const asset = assets.get(req.url ?? '');
  if (asset) {
    res.writeHead(200, asset.headers);
    res.end(asset.body);
    return;
  }
  if (req.url !== '/') {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
});
await new Promise<void>((r) => staticServer.listen(0, '127.0.0.1', () => r()));
const staticUrl = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}/`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
async function httpTime(url: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await (await fetch(url)).text();
    times.push(performance.now() - t0);
  }
  return median(times);
}

interface Load {
  /** Navigation start → first frame after the tree is in the DOM (the page's clock). */
  shown: number;
  /** Navigation start → the load event's end (the page's clock). */
  load: number;
  /** playwright's goto(…, load), wall clock. */
  wall: number;
}
async function loadOnce(page: Page, url: string): Promise<Load> {
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  const wall = performance.now() - t0;
  const inPage = await page.evaluate(
    () =>
      new Promise<{ shown: number; load: number }>((resolve) => {
        // Browser code (tsconfig has node's lib only): the navigation entry's two fields.
        const nav = (performance.getEntriesByType as (t: string) => unknown[])('navigation')[0] as {
          domContentLoadedEventEnd: number;
          loadEventEnd: number;
        };
        // The tree is in the first HTML: it is shown by the first frame after the parse ended
        // (domContentLoadedEventEnd); paint timing says when that frame was.
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        resolve({
          shown: Math.max(nav.domContentLoadedEventEnd, paint?.startTime ?? 0),
          load: nav.loadEventEnd,
        });
      }),
  );
  return { ...inPage, wall };
}
function summary(loads: Load[]): Load {
  return {
    shown: median(loads.map((l) => l.shown)),
    load: median(loads.map((l) => l.load)),
    wall: median(loads.map((l) => l.wall)),
  };
}
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const browser: Browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args,
});
async function warm(url: string): Promise<Load> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' }); // fills the cache
  const loads: Load[] = [];
  for (let i = 0; i < ROUNDS; i++) loads.push(await loadOnce(page, url));
  await context.close();
  return summary(loads);
}
async function cold(url: string): Promise<Load> {
  const loads: Load[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const context = await browser.newContext();
    loads.push(await loadOnce(await context.newPage(), url));
    await context.close();
  }
  return summary(loads);
}
const f = (ms: number) => `${ms.toFixed(0)} ms`;
const line = (what: string, page: Load, base: Load) =>
  `  ${what}: tree shown ${f(page.shown)} (static ${f(base.shown)}, ${(page.shown / base.shown).toFixed(2)}x), load event ${f(page.load)} (static ${f(base.load)}), goto wall clock ${f(page.wall)} (static ${f(base.wall)})`;
try {
  await httpTime(pageUrl); // warm-up
  const [pageHttp, staticHttp] = [await httpTime(pageUrl), await httpTime(staticUrl)];
  const [pageWarm, staticWarm] = [await warm(pageUrl), await warm(staticUrl)];
  const [pageCold, staticCold] = [await cold(pageUrl), await cold(staticUrl)];
  const encoded = first.headers.get('content-encoding');
  console.log(
    `dashboard of ${objects} objects (${(html.length / 1024).toFixed(0)} KiB of HTML${encoded ? `, sent ${encoded}` : ''}), median of ${ROUNDS}, load average ${os.loadavg()[0]?.toFixed(2)}:`,
  );
  console.log(
    `  HTTP answer: page ${pageHttp.toFixed(1)} ms, static ${staticHttp.toFixed(1)} ms, ratio ${(pageHttp / staticHttp).toFixed(1)}x`,
  );
  console.log(line('warm', pageWarm, staticWarm));
  console.log(line('cold', pageCold, staticCold));
  const worst = Math.max(pageWarm.shown, pageCold.shown);
  console.log(`  target: tree shown < 300 ms: ${worst < 300 ? 'met' : 'MISSED'}`);
} finally {
  await browser.close();
  staticServer.close();
  await api.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
