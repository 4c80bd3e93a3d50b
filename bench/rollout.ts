// Benchmark: time to a healthy rollout of a 10-replica Deployment's image change (RollingUpdate,
// 25% surge / 25% unavailable, an HTTP readiness probe every second), against `docker-compose up
// -d` of the same change to a 10-replica service, which replaces the containers without waiting
// for anything. Both run busybox httpd; the new image is a tag of the same local image made by the
// benchmark (no pull) and removed afterwards. Berth's time is split: commit to the last new
// container started (what compose's time compares with), and the readiness waits (each new
// pod's container start to its Ready condition) that a rolling update must sit through.
//   npm run bench:rollout [-- <rounds>]     (default 3)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeLabelled } from '../test/harness/docker.js';
import { TEST_LABEL } from '../test/harness/run-id.js';
import { benchDocker, startBenchBerth } from './bench-berth.js';
import { watchStarts } from './container-starts.js';
import { compose, ensureCompose } from './docker-compose.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const REPLICAS = 10;
const IMAGE = 'berth.local/busybox:1';
const docker = benchDocker();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const f = (ms: number) => Math.round(ms).toLocaleString('en');
const HTTPD = ['sh', '-c', 'mkdir -p /w && echo ok > /w/index.html && exec httpd -f -p 8080 -h /w'];

function deployment(image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${REPLICAS}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: main
          image: ${image}
          command: ${JSON.stringify(HTTPD)}
          readinessProbe:
            httpGet: {path: /, port: 8080}
            periodSeconds: 1
`;
}

/** Tags the local image as `berth.local/busybox:<tag>` (the "new version"); returns the name. */
async function tagImage(tag: string): Promise<string> {
  await docker.getImage(IMAGE).tag({ repo: 'berth.local/busybox', tag });
  return `berth.local/busybox:${tag}`;
}

async function berthRollout(newImage: string) {
  const b = await startBenchBerth({ files: { 'web.yaml': deployment(IMAGE) } });
  const watch = await watchStarts(docker, [
    `io.berth.instance=${b.id}`,
    'io.berth.container-role=app',
  ]);
  try {
    const commit = await b.stage({ 'web.yaml': deployment(newImage) });
    const t0 = performance.now();
    const wall0 = performance.timeOrigin + t0;
    const sha = await commit();
    await watch.nth(REPLICAS, () => true, 900_000);
    const lastStartMs = (watch.starts[REPLICAS - 1]?.at ?? Number.NaN) - t0;
    await b.settled(sha, 900_000);
    const healthyMs = performance.now() - t0;
    // Each new pod: its container's start (Docker event) to its Ready condition (pod status).
    const pods = await b.berth.stores.objects.list('Pod', 'default');
    const waits: number[] = [];
    for (const s of watch.starts) {
      const pod = pods.find((p) => p.metadata.uid === s.labels['io.berth.pod-uid']);
      const ready = (
        pod?.status as {
          conditions?: { type: string; status: string; lastTransitionTime?: string }[];
        }
      )?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True');
      if (ready?.lastTransitionTime)
        waits.push(Date.parse(ready.lastTransitionTime) - (wall0 + (s.at - t0)));
    }
    return { healthyMs, lastStartMs, readyWaits: waits };
  } finally {
    watch.close();
    await b.cleanup();
  }
}

async function composeRollout(newImage: string): Promise<number> {
  const id = `benchrollout${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), `${id}-`));
  const file = (image: string) =>
    `version: "2.4"\nservices:\n  web:\n    image: ${image}\n    command: ${JSON.stringify(HTTPD)}\n    scale: ${REPLICAS}\n    stop_grace_period: 0s\n    labels: {${TEST_LABEL}: ${id}}\n`;
  try {
    writeFileSync(path.join(dir, 'docker-compose.yml'), file(IMAGE));
    await compose(['-p', id, 'up', '-d'], dir);
    writeFileSync(path.join(dir, 'docker-compose.yml'), file(newImage));
    const t0 = performance.now();
    await compose(['-p', id, 'up', '-d'], dir);
    return performance.now() - t0;
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

const have = await ensureCompose();
if ('missing' in have) console.log(`compose baseline skipped: ${have.missing}`);
const tag = `bench-${randomBytes(4).toString('hex')}`;
const newImage = await tagImage(tag);
const rows = {
  healthy: [] as number[],
  lastStart: [] as number[],
  wait: [] as number[],
  compose: [] as number[],
};
const loads: string[] = [];
try {
  for (let r = 0; r < ROUNDS; r++) {
    loads.push(
      os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' '),
    );
    console.log(`round ${r + 1} of ${ROUNDS} (load ${loads.at(-1)})`);
    if (!('missing' in have)) {
      rows.compose.push(await composeRollout(newImage));
      console.log(`  compose up -d: ${f(rows.compose.at(-1) as number)} ms`);
    }
    const b = await berthRollout(newImage);
    rows.healthy.push(b.healthyMs);
    rows.lastStart.push(b.lastStartMs);
    rows.wait.push(median(b.readyWaits));
    console.log(
      `  berth: healthy ${f(b.healthyMs)} ms, last new container started ${f(b.lastStartMs)} ms, readiness wait per pod median ${f(median(b.readyWaits))} ms (${b.readyWaits.length} pods)`,
    );
  }
} finally {
  await docker
    .getImage(newImage)
    .remove({ noprune: true })
    .catch(() => {});
}
loads.push(
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' '),
);
const composeMs = rows.compose.length ? median(rows.compose) : undefined;
const ratio = (ms: number) => (composeMs ? `${(ms / composeMs).toFixed(2)}x` : '-');
console.log(`\nrollout of a ${REPLICAS}-replica image change (median of ${ROUNDS})`);
console.log('| run | ms | berth / compose |');
console.log('| --- | ---: | ---: |');
console.log(
  `| berth: commit -> Deployment healthy (rollout complete) | ${f(median(rows.healthy))} | ${ratio(median(rows.healthy))} |`,
);
console.log(
  `| berth: commit -> last new container started | ${f(median(rows.lastStart))} | ${ratio(median(rows.lastStart))} |`,
);
console.log(
  `| berth: readiness wait per new pod (container start -> Ready), median | ${f(median(rows.wait))} | |`,
);
console.log(
  `| docker-compose ${'version' in have ? have.version : ''} up -d (recreates ${REPLICAS}, no readiness) | ${composeMs === undefined ? '-' : f(composeMs)} | 1.00x |`,
);
console.log(
  `load average (1/5/15 min) per round and at the end on ${os.cpus().length} CPUs: ${loads.join(' | ')}`,
);
