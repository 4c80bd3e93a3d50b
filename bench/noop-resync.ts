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
import { readFileSync, writeFileSync } from 'node:fs';
import { formatSyncKey } from '../src/queue/index.js';
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

/** One resync: from the trigger until the sync job has run again and every queue is idle. */
async function resync(b: BenchBerth, withNode: boolean): Promise<number> {
  const syncKey = formatSyncKey({ source: b.source, revision: b.first });
  const before = (await b.berth.workers.syncQueue.status(syncKey))?.reconciles ?? 0;
  const t0 = performance.now();
  await Promise.all([
    b.berth.workers.syncQueue.enqueue(syncKey),
    withNode ? b.berth.node?.resync(b.berth.workers.store) : undefined,
  ]);
  for (;;) {
    const s = await b.berth.workers.syncQueue.status(syncKey);
    if (s && s.reconciles > before && s.phase === 'succeeded') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  await idle(b);
  return performance.now() - t0;
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
  const times = { sync: [] as number[], node: [] as number[], reads: [] as number[] };
  for (let r = 0; r < ROUNDS; r++) {
    times.reads.push(await reads(b));
    times.sync.push(await resync(b, false));
    times.node.push(await resync(b, true));
  }
  const windowPeak = statusKiB('VmHWM');
  const per = async (q: 'reconcile' | 'node') =>
    ((await reconciles(b, q)) - counts[q]) / (2 * ROUNDS);
  const reconcilePer = await per('reconcile');
  const nodePer = ((await reconciles(b, 'node')) - counts.node) / ROUNDS;
  const stored = (await b.berth.workers.store.keys('ReplicaSet')).length;
  const pods = (await b.berth.workers.store.keys('Pod')).length;

  console.log(
    `repository: ${OBJECTS} objects from Git (${Object.entries(MIX)
      .map(([k, n]) => `${n} ${k}`)
      .join(
        ', ',
      )}; Deployments of 1 replica, Services without selector), plus ${stored} ReplicaSets and ${pods} Pods the controllers made; ${pods} pods running (${2 * pods} containers)`,
  );
  console.log(`first apply, from startBerth to Synced and Healthy: ${f(startupMs)} ms`);
  const base = median(times.reads);
  console.log(`\nno-op resync, median of ${ROUNDS} (max):`);
  console.log('| run | ms | ratio to the reads |');
  console.log('| --- | --- | --- |');
  console.log(
    `| reads alone (baseline): every object + status MGET from Redis, containers listed + inspected | ${f(base)} (${f(Math.max(...times.reads))}) | 1.00x |`,
  );
  console.log(
    `| sync job: follow step + every Git object re-enqueued and reconciled (${reconcilePer.toFixed(0)} reconciles a resync) | ${f(median(times.sync))} (${f(Math.max(...times.sync))}) | ${(median(times.sync) / base).toFixed(2)}x |`,
  );
  console.log(
    `| sync job + node resync: Docker listed, every pod synced (${(nodePer / 1).toFixed(0)} pod reconciles a resync) | ${f(median(times.node))} (${f(Math.max(...times.node))}) | ${(median(times.node) / base).toFixed(2)}x |`,
  );
  const worst = Math.max(...times.node, ...times.sync);
  console.log(
    `\npeak RSS of the Berth process: ${resettable ? `${mib(windowPeak)} MiB during the resyncs (high-water mark reset before them), ` : ''}${mib(lifetimePeak)} MiB over its life up to then (startup, validation and first apply of the revision); RSS now ${mib(statusKiB('VmRSS'))} MiB`,
  );
  const peak = resettable ? windowPeak : lifetimePeak;
  console.log(
    `targets: < 1000 ms ${worst < 1000 ? 'met' : 'MISSED'} (slowest resync ${f(worst)} ms), < 200 MiB ${peak / 1024 < 200 ? 'met' : 'MISSED'} (${mib(peak)} MiB${lifetimePeak / 1024 < 200 ? '' : `; over the whole life ${mib(lifetimePeak)} MiB: MISSED`})`,
  );
  console.log('(Berth, this benchmark and its Redis/Docker clients share one process.)');
} finally {
  await b.cleanup();
}
