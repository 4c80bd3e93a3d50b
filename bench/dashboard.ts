// Dashboard page load for a source of 200 objects (40 Deployments, each with a ReplicaSet and 3
// Pods), against a baseline measured in the same run: the same HTML bytes as a static file from
// an in-memory node:http server. Timed twice: the HTTP answer (server render + transfer), and
// the page load in Debian's chromium (navigation to the load event, script included).
// Target: the page loads in < 300 ms.
//   npm run bench:dashboard          BENCH_ROUNDS=15 by default

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { chromium } from 'playwright-core';
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
const html = await (await fetch(pageUrl)).text();
const objects = (html.match(/data-key=/g) ?? []).length;
// The baseline: the same bytes, static, from memory.
const staticServer = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(
    html
      .replace('/assets/dashboard.js', `${api.url}/assets/dashboard.js`)
      .replace('/assets/dashboard.css', `${api.url}/assets/dashboard.css`),
  );
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
const profile = await mkdtemp(path.join(os.tmpdir(), 'berth-bench-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
async function browserTime(url: string): Promise<number> {
  const page = await browser.newPage();
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await page.goto(url, { waitUntil: 'load' });
    times.push(performance.now() - t0);
  }
  await page.close();
  return median(times);
}
try {
  await httpTime(pageUrl); // warm-up
  const [pageHttp, staticHttp] = [await httpTime(pageUrl), await httpTime(staticUrl)];
  const [pageLoad, staticLoad] = [await browserTime(pageUrl), await browserTime(staticUrl)];
  console.log(
    `dashboard of ${objects} objects (${(html.length / 1024).toFixed(0)} KiB), median of ${ROUNDS}:`,
  );
  console.log(
    `  HTTP answer:  page ${pageHttp.toFixed(1)} ms, static ${staticHttp.toFixed(1)} ms, ratio ${(pageHttp / staticHttp).toFixed(1)}x`,
  );
  console.log(
    `  browser load: page ${pageLoad.toFixed(1)} ms, static ${staticLoad.toFixed(1)} ms, ratio ${(pageLoad / staticLoad).toFixed(2)}x; target < 300 ms: ${pageLoad < 300 ? 'met' : 'MISSED'}`,
  );
} finally {
  await browser.close();
  await rm(profile, { recursive: true, force: true });
  staticServer.close();
  await api.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
