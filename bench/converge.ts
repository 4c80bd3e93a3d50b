// Benchmark: converge 100 single-container pods (10 Deployments x 10 replicas) from empty, against
// the same 100 containers brought up by `docker-compose up -d` and by raw parallel Docker API
// calls, each measured in the same run on the same host. Berth runs twice per round: with
// network.podSandbox whenNeeded (one container per pod, as compose) and always (a pause sandbox
// per pod, as the kubelet). Issue targets: <= 1.0x compose and <= 1.2x the raw API floor.
// Converged = every app container running per Docker (no readiness probe anywhere).
//   npm run bench:converge [-- <rounds>]        (default 1 round; the table shows medians)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { WorkQueue } from '../src/queue/index.js';
import { removeLabelled } from '../test/harness/docker.js';
import { REDIS_URL } from '../test/harness/redis.js';
import { TEST_LABEL } from '../test/harness/run-id.js';
import { benchDocker, freePodSubnet, startBenchBerth } from './bench-berth.js';
import { watchStarts } from './container-starts.js';
import { compose, ensureCompose } from './docker-compose.js';

const ROUNDS = Number(process.argv[2] ?? 1);
const DEPLOYMENTS = 10;
const REPLICAS = 10;
const PODS = DEPLOYMENTS * REPLICAS;
const PARALLEL = 10;
const IMAGE = 'berth.local/busybox:1';
const PAUSE = 'berth.local/pause:1';
const COMMAND = ['sleep', '3600'];
const docker = benchDocker();

function deployment(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}}
spec:
  replicas: ${REPLICAS}
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: main
          image: ${IMAGE}
          command: ${JSON.stringify(COMMAND)}
`;
}

/** Runs `fn(i)` for i in [0, n) with at most `limit` at once. */
async function pool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function running(labels: string[]): Promise<number> {
  const list = await docker.listContainers({
    filters: JSON.stringify({ label: labels, status: ['running'] }),
  });
  return list.length;
}

function expectRunning(what: string, n: number, want: number): void {
  if (n !== want) throw new Error(`${what}: ${n} containers running, expected ${want}`);
}

/** Baseline: 100 `docker create` + `start` of the app container, 10 at a time, default bridge. */
async function rawContainers(): Promise<number> {
  const id = `benchraw${randomBytes(4).toString('hex')}`;
  try {
    const t0 = performance.now();
    await pool(PODS, PARALLEL, async (i) => {
      const c = await docker.createContainer({
        name: `${id}_c${i}`,
        Image: IMAGE,
        Cmd: COMMAND,
        Labels: { [TEST_LABEL]: id },
      });
      await c.start();
    });
    const ms = performance.now() - t0;
    expectRunning('raw', await running([`${TEST_LABEL}=${id}`]), PODS);
    return ms;
  } finally {
    await removeLabelled(docker, id);
  }
}

/**
 * Baseline shaped like Berth's pods: a network, then per pod a pause container on it and the app
 * container in its network namespace (200 containers), 10 pods at a time.
 */
async function rawPods(): Promise<number> {
  const id = `benchpod${randomBytes(4).toString('hex')}`;
  const labels = { [TEST_LABEL]: id };
  try {
    const t0 = performance.now();
    const net = await docker.createNetwork({ Name: `${id}_net`, Driver: 'bridge', Labels: labels });
    await pool(PODS, PARALLEL, async (i) => {
      const sandbox = await docker.createContainer({
        name: `${id}_p${i}_POD`,
        Image: PAUSE,
        Labels: labels,
        HostConfig: { NetworkMode: net.id, IpcMode: 'shareable' },
      });
      await sandbox.start();
      const app = await docker.createContainer({
        name: `${id}_p${i}_main`,
        Image: IMAGE,
        Cmd: COMMAND,
        Labels: labels,
        HostConfig: {
          NetworkMode: `container:${sandbox.id}`,
          IpcMode: `container:${sandbox.id}`,
        },
      });
      await app.start();
    });
    const ms = performance.now() - t0;
    expectRunning('raw pods', await running([`${TEST_LABEL}=${id}`]), 2 * PODS);
    return ms;
  } finally {
    await removePods(id);
  }
}

/**
 * Baseline shaped like Berth's one-container pods (`podSandbox: whenNeeded`), Docker calls only:
 * a bridge network with a subnet, then per pod one container on it with a static IP, a hostname,
 * cluster DNS settings, a termination-log bind mount and Berth's labels (the pod spec as JSON),
 * 10 pods at a time. With `calls`, each pod also makes the reads Berth's node makes around them:
 * an image inspect and a container list before the create, a container inspect after the start.
 * Between the plain floor and Berth, this row separates what Docker charges for a pod-shaped
 * container from what Berth's own code adds.
 */
async function rawBerthShaped(calls: boolean): Promise<number> {
  const id = `benchshape${randomBytes(4).toString('hex')}`;
  const labels = { [TEST_LABEL]: id };
  const dir = mkdtempSync(path.join(os.tmpdir(), `${id}-`));
  try {
    const subnet = await freePodSubnet(docker);
    const base = subnet.replace(/\.0\/24$/, '');
    const t0 = performance.now();
    const network = `${id}_net`;
    await docker.createNetwork({
      Name: network,
      Driver: 'bridge',
      Labels: labels,
      IPAM: { Config: [{ Subnet: subnet, Gateway: `${base}.1` }] },
    });
    await pool(PODS, PARALLEL, async (i) => {
      const name = `${id}_p${i}_main`;
      const log = path.join(dir, `p${i}-termination-log`);
      writeFileSync(log, '');
      const spec = { name: 'main', image: IMAGE, command: COMMAND };
      if (calls) {
        await docker.getImage(IMAGE).inspect();
        await docker.listContainers({
          all: true,
          filters: JSON.stringify({ label: [`${TEST_LABEL}=${id}`, `pod=p${i}`] }),
        });
      }
      const c = await docker.createContainer({
        name,
        Image: IMAGE,
        Entrypoint: COMMAND,
        Hostname: `p${i}`,
        Env: ['KUBERNETES_SERVICE_HOST=10.96.0.1', 'KUBERNETES_SERVICE_PORT=443'],
        Labels: {
          ...labels,
          pod: `p${i}`,
          'io.berth.pod-spec': JSON.stringify({ containers: [spec] }),
          'io.berth.container-spec': JSON.stringify(spec),
        },
        NetworkingConfig: {
          EndpointsConfig: { [network]: { IPAMConfig: { IPv4Address: `${base}.${10 + i}` } } },
        },
        HostConfig: {
          NetworkMode: network,
          IpcMode: 'private',
          Binds: [`${log}:/dev/termination-log`],
          Dns: [`${base}.1`],
          DnsSearch: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
          DnsOptions: ['ndots:5'],
          RestartPolicy: { Name: 'no' },
        },
      });
      await c.start();
      if (calls) await c.inspect();
    });
    const ms = performance.now() - t0;
    expectRunning('raw berth-shaped', await running([`${TEST_LABEL}=${id}`]), PODS);
    return ms;
  } finally {
    await removePods(id);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Removes app containers before their sandboxes, then the network (retried: endpoints linger). */
async function removePods(id: string): Promise<void> {
  const list = await docker.listContainers({
    all: true,
    filters: JSON.stringify({ label: [`${TEST_LABEL}=${id}`] }),
  });
  const remove = (c: Docker.ContainerInfo) =>
    docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => {});
  await Promise.all(list.filter((c) => !c.Names[0]?.endsWith('_POD')).map(remove));
  await Promise.all(list.filter((c) => c.Names[0]?.endsWith('_POD')).map(remove));
  for (let attempt = 0; ; attempt++) {
    try {
      await removeLabelled(docker, id);
      return;
    } catch (err) {
      if (attempt >= 10) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Baseline: `docker-compose up -d` of 10 services x `scale: 10` (the Deployments' shape), on the
 * project's network. (100 one-container services stall docker-compose 1.29 after ~20 containers:
 * its nested thread pools starve each other, docker/compose#7486 and #8161.)
 */
async function composeUp(): Promise<number> {
  const id = `benchcompose${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), `${id}-`));
  const services = Array.from(
    { length: DEPLOYMENTS },
    (_, i) =>
      `  app-${i}:\n    image: ${IMAGE}\n    command: ${JSON.stringify(COMMAND)}\n    scale: ${REPLICAS}\n    stop_grace_period: 0s\n    labels: {${TEST_LABEL}: ${id}}\n`,
  ).join('');
  writeFileSync(path.join(dir, 'docker-compose.yml'), `version: "2.4"\nservices:\n${services}`);
  try {
    const t0 = performance.now();
    await compose(['-p', id, 'up', '-d', '--quiet-pull'], dir);
    const ms = performance.now() - t0;
    expectRunning('compose', await running([`${TEST_LABEL}=${id}`]), PODS);
    return ms;
  } finally {
    await compose(['-p', id, 'down', '-t', '0'], dir).catch(() => {});
    await removeLabelled(docker, id);
    const nets = await docker.listNetworks({
      filters: JSON.stringify({ label: [`com.docker.compose.project=${id}`] }),
    });
    await Promise.all(
      nets.map((n) =>
        docker
          .getNetwork(n.Id)
          .remove()
          .catch(() => {}),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milestones of one Berth round, in ms from the commit. */
interface BerthRound {
  ms: number;
  settledMs: number;
  appliedMs: number;
  podsStoredMs: [number, number];
  sandboxesMs: [number, number];
  appsMs: [number, number];
  nodeReconciles: number;
  nodeSyncMs: number;
  reconcileReconciles: number;
}

/** Berth: from `git commit` of 10 Deployments to the 100th app container started. */
async function berthConverge(podSandbox: 'always' | 'whenNeeded'): Promise<BerthRound> {
  const b = await startBenchBerth({
    podSandbox,
    files: {
      'start.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: start}\ndata: {a: "1"}\n',
    },
  });
  const watch = await watchStarts(docker, [`io.berth.instance=${b.id}`]);
  try {
    const commit = await b.stage(
      Object.fromEntries(
        Array.from({ length: DEPLOYMENTS }, (_, i) => [`app-${i}.yaml`, deployment(i)]),
      ),
    );
    const t0 = performance.now();
    const wall0 = performance.timeOrigin + t0;
    const sha = await commit();
    const isApp = (s: { labels: Record<string, string> }) =>
      s.labels['io.berth.container-role'] === 'app';
    const done = await watch.nth(PODS, isApp);
    const ms = done - t0;
    expectRunning(
      'berth',
      await running([`io.berth.instance=${b.id}`, 'io.berth.container-role=app']),
      PODS,
    );
    const state = await b.settled(sha);
    const settledMs = performance.now() - t0;

    // Where the time went.
    const fromWall = (iso: string | undefined) => (iso ? Date.parse(iso) - wall0 : Number.NaN);
    const pods = await b.berth.stores.objects.list('Pod', 'default');
    const created = pods.map((p) => fromWall(p.metadata.creationTimestamp)).sort((x, y) => x - y);
    const span = (xs: number[]): [number, number] => [xs[0] ?? Number.NaN, xs.at(-1) ?? Number.NaN];
    const startsOf = (role: string) =>
      watch.starts
        .filter((s) => s.labels['io.berth.container-role'] === role)
        .map((s) => s.at - t0);
    const node = await queueStats(b.prefix, 'node');
    const reconcile = await queueStats(b.prefix, 'reconcile');
    return {
      ms,
      settledMs,
      appliedMs: fromWall(state.appliedAt),
      podsStoredMs: span(created),
      sandboxesMs: span(startsOf('sandbox')),
      appsMs: span(startsOf('app')),
      nodeReconciles: node.reconciles,
      nodeSyncMs: node.meanMs,
      reconcileReconciles: reconcile.reconciles,
    };
  } finally {
    watch.close();
    await b.cleanup();
  }
}

/** Reconciles recorded on a queue, and the mean duration of each key's last one. */
async function queueStats(prefix: string, name: string) {
  const q = await WorkQueue.open({ name, redisUrl: REDIS_URL, keyPrefix: prefix });
  try {
    const statuses = await Promise.all((await q.statuses.keys()).map((k) => q.status(k)));
    const done = statuses.filter((s) => s !== undefined);
    return {
      keys: done.length,
      reconciles: done.reduce((n, s) => n + s.reconciles, 0),
      meanMs: done.reduce((n, s) => n + (s.lastDurationMs ?? 0), 0) / Math.max(1, done.length),
    };
  } finally {
    await q.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const f = (ms: number) => (Number.isNaN(ms) ? '-' : `${Math.round(ms)}`);

const composeVersion = await ensureCompose();
if ('missing' in composeVersion) console.log(`compose baseline skipped: ${composeVersion.missing}`);
const times = {
  compose: [] as number[],
  raw: [] as number[],
  rawShaped: [] as number[],
  rawShapedCalls: [] as number[],
  rawPods: [] as number[],
};
const berth: BerthRound[] = [];
const berthAlways: BerthRound[] = [];
async function measured(what: string, fn: () => Promise<number>): Promise<number> {
  const ms = await fn();
  console.log(`  ${what}: ${f(ms)} ms`);
  return ms;
}
const loads: string[] = [];
for (let r = 0; r < ROUNDS; r++) {
  loads.push(
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' '),
  );
  console.log(`round ${r + 1} of ${ROUNDS} (load ${loads.at(-1)})`);
  if (!('missing' in composeVersion)) times.compose.push(await measured('compose', composeUp));
  times.raw.push(await measured('raw', rawContainers));
  times.rawShaped.push(await measured('raw berth-shaped', () => rawBerthShaped(false)));
  times.rawShapedCalls.push(
    await measured("raw berth-shaped + Berth's reads", () => rawBerthShaped(true)),
  );
  times.rawPods.push(await measured('raw pods', rawPods));
  for (const [mode, into] of [
    ['whenNeeded', berth],
    ['always', berthAlways],
  ] as const) {
    const round = await berthConverge(mode);
    console.log(
      `  berth, podSandbox ${mode}: ${f(round.ms)} ms (Synced and Healthy at ${f(round.settledMs)} ms)`,
    );
    into.push(round);
  }
}

const berthMs = median(berth.map((b) => b.ms));
const alwaysMs = median(berthAlways.map((b) => b.ms));
const rows: Array<[string, string, number | undefined]> = [
  [
    `berth, network.podSandbox whenNeeded: commit of ${DEPLOYMENTS} Deployments x ${REPLICAS} replicas -> ${PODS} app containers running`,
    `${PODS} (no sandbox for one-container pods)`,
    berthMs,
  ],
  [
    "berth, network.podSandbox always (the kubelet's way)",
    `${2 * PODS} (${PODS} pods: pause sandbox + app)`,
    alwaysMs,
  ],
  [
    `docker-compose ${'version' in composeVersion ? composeVersion.version : '(missing)'} up -d, ${DEPLOYMENTS} services x scale ${REPLICAS}`,
    `${PODS}`,
    times.compose.length ? median(times.compose) : undefined,
  ],
  [`raw Docker API: create+start, ${PARALLEL} at a time`, `${PODS}`, median(times.raw)],
  [
    `raw Docker API, Berth's container shape: a network, static IP, DNS, termination-log bind, labels, ${PARALLEL} at a time`,
    `${PODS}`,
    median(times.rawShaped),
  ],
  [
    "raw Docker API, Berth's shape + Berth's reads per pod (image inspect, list, inspect)",
    `${PODS}`,
    median(times.rawShapedCalls),
  ],
  [
    `raw Docker API, pod-shaped: network + pause + app in its netns, ${PARALLEL} pods at a time`,
    `${2 * PODS}`,
    median(times.rawPods),
  ],
];
console.log(
  `\nconverge ${PODS} pods from empty (median of ${ROUNDS} round(s), image ${IMAGE}, load at each round: ${loads.join(' | ')})`,
);
console.log('| run | containers | ms | berth whenNeeded / this | berth always / this |');
console.log('| --- | --- | --- | --- | --- |');
for (const [what, containers, ms] of rows) {
  const ratio = (x: number) => (ms === undefined ? '-' : `${(x / ms).toFixed(2)}x`);
  console.log(
    `| ${what} | ${containers} | ${ms === undefined ? '-' : f(ms)} | ${ratio(berthMs)} | ${ratio(alwaysMs)} |`,
  );
}
const composeMs = times.compose.length ? median(times.compose) : undefined;
console.log(
  `\nratio to docker-compose (podSandbox whenNeeded): ${composeMs ? `${(berthMs / composeMs).toFixed(2)}x (target <= 1.0x: ${berthMs <= composeMs ? 'met' : 'MISSED'})` : 'n/a'}`,
);
console.log(
  `ratio to the raw Docker API floor (podSandbox whenNeeded): ${(berthMs / median(times.raw)).toFixed(2)}x (target <= 1.2x: ${berthMs <= 1.2 * median(times.raw) ? 'met' : 'MISSED'})`,
);
console.log(
  `ratio to the raw calls of Berth's container shape (podSandbox whenNeeded): ${(berthMs / median(times.rawShaped)).toFixed(2)}x; with Berth's reads: ${(berthMs / median(times.rawShapedCalls)).toFixed(2)}x`,
);
console.log(
  `podSandbox always: ${composeMs ? `${(alwaysMs / composeMs).toFixed(2)}x compose, ` : ''}${(alwaysMs / median(times.rawPods)).toFixed(2)}x the pod-shaped raw calls (the same 200 containers)`,
);
const m = (pick: (b: BerthRound) => number) => f(median(berth.map(pick)));
console.log(`\nberth (podSandbox whenNeeded), where the time goes (ms from the commit, medians):
  revision applied to the object store      ${m((b) => b.appliedMs)}
  pods written to the store (first..last)   ${m((b) => b.podsStoredMs[0])}..${m((b) => b.podsStoredMs[1])}
  sandboxes started (first..last)           ${m((b) => b.sandboxesMs[0])}..${m((b) => b.sandboxesMs[1])}
  app containers started (first..last)      ${m((b) => b.appsMs[0])}..${m((b) => b.appsMs[1])}
  source Synced and Healthy                 ${m((b) => b.settledMs)}
  node queue: ${m((b) => b.nodeReconciles)} pod reconciles for ${PODS} pods (mean last reconcile ${m((b) => b.nodeSyncMs)} ms); reconcile queue: ${m((b) => b.reconcileReconciles)} reconciles`);
