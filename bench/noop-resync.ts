// Benchmark: a no-op resync of a 1,000-object repository by a running Berth. The revision is
// applied and settled (20 pods running); then the source is synced again with nothing to do:
//   sync job     the sync job's follow step (health of every object) re-enqueues every object,
//                each reconciled by its controller with nothing to change;
//   + node       the same, plus the node's resync (NodeRole.resync: Docker listed, every pod
//                enqueued and synced against Docker), which the periodic sync does not reach.
// Each is timed from the trigger until the sync, reconcile and node queues have nothing
// waiting or running, against a baseline measured in the same run: the reads no resync can
// avoid (every stored object and its status from Redis, the instance's containers listed and
// inspected). Peak RSS is the Berth process's high-water mark over the resyncs (reset first,
// /proc/self/clear_refs), and over its whole life (startup and the first apply included).
// Issue targets: < 1 s, < 200 MiB.
//   npm run bench:noop-resync [-- <rounds>]        (default 5 rounds of each)
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { formatSyncKey, WorkQueue } from '../src/queue/index.js';
import { REDIS_URL } from '../test/harness/redis.js';
import { type BenchBerth, startBenchBerth } from './bench-berth.js';

const ROUNDS = Number(process.argv[2] ?? 5);
const NS = 'bench';
const MIX = { Namespace: 1, Deployment: 20, ConfigMap: 500, Secret: 200, Service: 279 };
const OBJECTS = Object.values(MIX).reduce((a, b) => a + b, 0);

/** The repository: one file per object, the mix of MIX (1 replica per Deployment). */
function repository(): Record<string, string> {
  const files: Record<string, string> = {
    'namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${NS}}\n`,
  };
  for (let i = 0; i < MIX.ConfigMap; i++) {
    files[`config/cm-${i}.yaml`] =
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, namespace: ${NS}, labels: {app: a${i % 20}}}\ndata:\n  MODE: production\n  index.html: "<h1>page ${i}</h1>"\n`;
  }
  for (let i = 0; i < MIX.Secret; i++) {
    files[`secrets/secret-${i}.yaml`] =
      `apiVersion: v1\nkind: Secret\nmetadata: {name: secret-${i}, namespace: ${NS}}\ntype: Opaque\ndata:\n  token: c2VjcmV0LXRva2Vu\n`;
  }
  // Without a selector: a Service with one is Healthy only once its Endpoints have a ready
  // address, and nothing writes Endpoints in this configuration yet.
  for (let i = 0; i < MIX.Service; i++) {
    files[`services/svc-${i}.yaml`] =
      `apiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}, namespace: ${NS}}\nspec:\n  ports: [{name: http, port: 80, targetPort: 8080}]\n`;
  }
  for (let i = 0; i < MIX.Deployment; i++) {
    files[`apps/a${i}.yaml`] = `apiVersion: apps/v1
kind: Deployment
metadata: {name: a${i}, namespace: ${NS}}
spec:
  replicas: 1
  selector:
    matchLabels: {app: a${i}}
  template:
    metadata:
      labels: {app: a${i}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: main
          image: berth.local/busybox:1
          command: [sleep, "3600"]
          env:
            - name: MODE
              valueFrom: {configMapKeyRef: {name: cm-${i}, key: MODE}}
`;
  }
  return files;
}

function statusKiB(field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return Number(m?.[1] ?? Number.NaN);
}

/** RSS of a fresh node process once it has imported the built daemon, when dist/ exists. */
function distModulesKiB(): number | undefined {
  const entry = new URL('../dist/daemon/index.js', import.meta.url);
  if (!existsSync(entry)) return undefined;
  const out = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(entry.href)}); console.log(process.memoryUsage().rss)`,
    ],
    { encoding: 'utf8' },
  );
  return Number(out.trim()) / 1024;
}

/** Resets the process's peak RSS to its current RSS; false where the kernel does not allow it. */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Total reconciles recorded on a queue. */
async function reconciles(b: BenchBerth, queue: 'sync' | 'reconcile' | 'node'): Promise<number> {
  const q = b.berth.workers[`${queue}Queue`];
  const keys = await q.statuses.keys();
  const all = await Promise.all(keys.map((k) => q.status(k)));
  return all.reduce((n, s) => n + (s?.reconciles ?? 0), 0);
}

/** Resolves once no queue has a job waiting or running (checked every 5 ms). */
async function idle(b: BenchBerth): Promise<void> {
  const { syncQueue, reconcileQueue, nodeQueue } = b.berth.workers;
  for (;;) {
    const counts = await Promise.all([syncQueue, reconcileQueue, nodeQueue].map((q) => q.counts()));
    if (counts.every((c) => c.waiting + c.active === 0)) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A resync's times in ms from its trigger: the sync job done, every queue idle. */
interface Resync {
  syncDone: number;
  total: number;
  /** The sync job's own duration (follow step and its enqueues), as its queue recorded it. */
  syncJob: number;
}

/** One resync: from the trigger until the sync job has run again and every queue is idle. */
async function resync(b: BenchBerth, withNode: boolean): Promise<Resync> {
  const syncKey = formatSyncKey({ source: b.source, revision: b.first });
  const before = (await b.berth.workers.syncQueue.status(syncKey))?.reconciles ?? 0;
  const t0 = performance.now();
  await Promise.all([
    b.berth.workers.syncQueue.enqueue(syncKey),
    withNode ? b.berth.node?.resync(b.berth.stores.objects) : undefined,
  ]);
  let syncJob = 0;
  for (;;) {
    const s = await b.berth.workers.syncQueue.status(syncKey);
    if (s && s.reconciles > before && s.phase === 'succeeded') {
      syncJob = s.lastDurationMs ?? 0;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const syncDone = performance.now() - t0;
  await idle(b);
  return { syncDone, total: performance.now() - t0, syncJob };
}

/** What the sync job's enqueues cost: 1,000 keys one after the other, then pipelined. */
async function enqueueCost(b: BenchBerth): Promise<{ sequential: number; pipelined: number }> {
  const q = await WorkQueue.open({ name: 'profile', redisUrl: REDIS_URL, keyPrefix: b.prefix });
  try {
    const keys = (n: string) => Array.from({ length: OBJECTS }, (_, i) => `ConfigMap/${n}/c${i}`);
    let t = performance.now();
    for (const key of keys('a')) await q.enqueue(key);
    const sequential = performance.now() - t;
    t = performance.now();
    await q.enqueueAll(keys('b'));
    return { sequential, pipelined: performance.now() - t };
  } finally {
    await q.close();
  }
}

/** Baseline: what any resync must read — every object and status, the containers, inspected. */
async function reads(b: BenchBerth): Promise<number> {
  const t0 = performance.now();
  const kinds = ['Namespace', 'Deployment', 'ReplicaSet', 'Pod', 'ConfigMap', 'Secret', 'Service'];
  const keys = (
    await Promise.all(kinds.map((k) => b.redis.smembers(`${b.prefix}:objkeys:${k}`)))
  ).flat();
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const values = await b.redis.mget(
      ...chunk.flatMap((k) => [`${b.prefix}:obj:${k}`, `${b.prefix}:objstatus:${k}`]),
    );
    for (const v of values) if (v) JSON.parse(v);
  }
  const containers = await b.docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`io.berth.instance=${b.id}`] }),
  });
  await Promise.all(containers.map((c) => b.docker.getContainer(c.Id).inspect()));
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const f = (ms: number) => ms.toFixed(0);
const mib = (kib: number) => (kib / 1024).toFixed(0);

const importedKiB = statusKiB('VmRSS');
const tStart = performance.now();
const b = await startBenchBerth({ files: repository() });
try {
  const startupMs = performance.now() - tStart;
  await idle(b);
  const lifetimePeak = statusKiB('VmHWM');
  const resettable = resetPeak();
  const counts = {
    sync: await reconciles(b, 'sync'),
    reconcile: await reconciles(b, 'reconcile'),
    node: await reconciles(b, 'node'),
  };
  const times = { sync: [] as Resync[], node: [] as Resync[], reads: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    times.reads.push(await reads(b));
    times.sync.push(await resync(b, false));
    times.node.push(await resync(b, true));
  }
  const windowPeak = statusKiB('VmHWM');
  const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
  const reconcilePer = ((await reconciles(b, 'reconcile')) - counts.reconcile) / (2 * ROUNDS);
  const nodePer = ((await reconciles(b, 'node')) - counts.node) / ROUNDS;
  const rsCount = (await b.berth.stores.objects.keys('ReplicaSet')).length;
  const pods = (await b.berth.stores.objects.keys('Pod')).length;
  const cost = await enqueueCost(b);

  console.log(
    `repository: ${OBJECTS} objects from Git (${Object.entries(MIX)
      .map(([k, n]) => `${n} ${k}`)
      .join(
        ', ',
      )}; Deployments of 1 replica, Services without selector), plus ${rsCount} ReplicaSets and ${pods} Pods the controllers made; ${pods} pods running (${2 * pods} containers)`,
  );
  console.log(`first apply, from startBerth to Synced and Healthy: ${f(startupMs)} ms`);
  const base = median(times.reads);
  const total = (rs: Resync[]) => rs.map((r) => r.total);
  const row = (what: string, rs: Resync[]) =>
    console.log(
      `| ${what} | ${f(median(total(rs)))} (${f(Math.max(...total(rs)))}) | ${(median(total(rs)) / base).toFixed(2)}x |`,
    );
  console.log(`\nno-op resync, median of ${ROUNDS} (max), ms:`);
  console.log('| run | ms | ratio to the reads |');
  console.log('| --- | --- | --- |');
  console.log(
    `| reads alone (baseline): every object + status MGET from Redis, containers listed + inspected | ${f(base)} (${f(Math.max(...times.reads))}) | 1.00x |`,
  );
  row(
    `sync job: follow step + every Git object re-enqueued and reconciled (${reconcilePer.toFixed(0)} reconciles a resync)`,
    times.sync,
  );
  row(
    `sync job + node resync: Docker listed, every pod synced (${nodePer.toFixed(0)} pod reconciles a resync)`,
    times.node,
  );
  const all = [...times.sync, ...times.node];
  console.log(`\nwhere the time goes (medians over both kinds of resync):
  the sync job itself (health of ${OBJECTS} objects, then ${OBJECTS} enqueues one after the other): ${f(median(all.map((r) => r.syncJob)))} ms
  from the trigger to the sync job done: ${f(median(all.map((r) => r.syncDone)))} ms; from there to every queue idle: ${f(median(all.map((r) => r.total - r.syncDone)))} ms
  ${OBJECTS} WorkQueue.enqueue one after the other: ${f(cost.sequential)} ms; the same with enqueueAll (pipelined): ${f(cost.pipelined)} ms`);
  const worst = Math.max(...total(all));
  console.log(
    `\npeak RSS of the Berth process: ${resettable ? `${mib(windowPeak)} MiB during the resyncs (high-water mark reset before them), ` : ''}${mib(lifetimePeak)} MiB over its life up to then (startup, validation and first apply); RSS ${mib(importedKiB)} MiB once the modules were loaded, before Berth started; V8 heap in use now ${heapMiB.toFixed(0)} MiB`,
  );
  const peak = resettable ? windowPeak : lifetimePeak;
  const distModules = distModulesKiB();
  if (distModules !== undefined) {
    console.log(
      `estimate for Berth run by node from dist/ (no tsx, no test harness): ${mib(peak - importedKiB + distModules)} MiB = the growth above the loaded modules here (${mib(peak - importedKiB)} MiB) + ${mib(distModules)} MiB, the RSS of a node that imports dist/daemon/index.js (build: npm run build)`,
    );
  }
  console.log(
    `targets: < 1000 ms ${worst < 1000 ? 'met' : 'MISSED'} (slowest resync ${f(worst)} ms), < 200 MiB ${peak / 1024 < 200 ? 'met' : 'MISSED'} (${mib(peak)} MiB during the resyncs${lifetimePeak / 1024 < 200 ? '' : `; over the whole life ${mib(lifetimePeak)} MiB: MISSED`})`,
  );
  console.log(
    '(Berth, this benchmark and its Redis/Docker clients share one process, run by tsx.)',
  );
} finally {
  await b.cleanup();
}
