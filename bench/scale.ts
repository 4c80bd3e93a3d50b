// Benchmark: Berth's cost curve, run as users run it (`berth up` from dist/, a child process per
// size, NODE_ENV=production). Converge 10, 100 and 300 pods from a commit (Deployments of 10
// replicas, busybox `sleep`, no probes) against raw Docker API create+start of the same number of
// containers (10 at a time) in the same run; a no-op resync (an empty commit: validate, plan,
// apply nothing, health) of a source of 1,000 and 5,000 objects. <rounds> is the number of
// converges per size (medians) and of resyncs per size. For each size, the peak RSS of
// the Berth process (VmHWM) over its life and, for the resyncs, over the resyncs alone.
// Issue #20 targets: time grows at most linearly; RSS < 200 MiB at 1,000 objects, < 400 MiB at 5,000.
//   npm run build && npm run bench:scale [-- <rounds> <pod sizes> <object sizes>]
//   (defaults: 3, "10,100,300", "1000,5000")
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { removeLabelled } from '../test/harness/docker.js';
import { TEST_LABEL } from '../test/harness/run-id.js';
import { benchDocker } from './bench-berth.js';
import { requireDist, startBerthUp } from './berth-up-process.js';
import { watchStarts } from './container-starts.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const POD_SIZES = (process.argv[3] ?? '10,100,300').split(',').filter(Boolean).map(Number);
const OBJECT_SIZES = (process.argv[4] ?? '1000,5000').split(',').filter(Boolean).map(Number);
const IMAGE = 'berth.local/busybox:1';
const REPLICAS = 10;
const docker = benchDocker();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const loads: string[] = [];
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function deployment(name: string, replicas: number, ns = 'default'): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: main
          image: ${IMAGE}
          command: [sleep, "3600"]
`;
}

/** Raw Docker API: `n` containers created and started, 10 at a time; ms. */
async function rawContainers(n: number): Promise<number> {
  const id = `benchscale${randomBytes(4).toString('hex')}`;
  try {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(10, n) }, async () => {
        while (next < n) {
          const i = next++;
          const c = await docker.createContainer({
            name: `${id}_c${i}`,
            Image: IMAGE,
            Cmd: ['sleep', '3600'],
            Labels: { [TEST_LABEL]: id },
            HostConfig: { AutoRemove: false },
          });
          await c.start();
        }
      }),
    );
    return performance.now() - t0;
  } finally {
    await removeLabelled(docker, id);
  }
}

/** Berth: from the commit of `pods / 10` Deployments to the last app container started. */
async function converge(pods: number): Promise<{ ms: number; settledMs: number; peakMiB: number }> {
  // A /24 pod network holds 253 pods (the kubelet's default node podCIDR is a /24 too): more pods
  // get a /22.
  const b = await startBerthUp(
    {
      'start.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: start}\ndata: {a: "1"}\n',
    },
    { podPrefix: pods > 250 ? 22 : 24 },
  );
  const watch = await watchStarts(docker, [`io.berth.instance=${b.id}`]);
  try {
    const files = Object.fromEntries(
      Array.from({ length: Math.ceil(pods / REPLICAS) }, (_, i) => [
        `app-${i}.yaml`,
        deployment(`app-${i}`, Math.min(REPLICAS, pods - i * REPLICAS)),
      ]),
    );
    const t0 = performance.now();
    const sha = await b.commit(files);
    const done = await watch.nth(
      pods,
      (s) => s.labels['io.berth.container-role'] === 'app',
      1_800_000,
    );
    const ms = done - t0;
    await b.settled(sha);
    return { ms, settledMs: performance.now() - t0, peakMiB: b.peakRssMiB() };
  } finally {
    watch.close();
    await b.cleanup();
  }
}

/** The 1,000-object mix of bench:noop-resync scaled to `n` objects (20 one-replica Deployments). */
function objects(n: number): Record<string, string> {
  const ns = 'bench';
  const deployments = 20;
  const rest = n - 1 - deployments;
  const configMaps = Math.round(rest * 0.5);
  const secrets = Math.round(rest * 0.2);
  const services = rest - configMaps - secrets;
  const files: Record<string, string> = {
    'namespace.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n`,
  };
  for (let i = 0; i < configMaps; i++)
    files[`config/cm-${i}.yaml`] =
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, namespace: ${ns}}\ndata:\n  MODE: production\n  index.html: "<h1>page ${i}</h1>"\n`;
  for (let i = 0; i < secrets; i++)
    files[`secrets/secret-${i}.yaml`] =
      `apiVersion: v1\nkind: Secret\nmetadata: {name: secret-${i}, namespace: ${ns}}\ntype: Opaque\ndata:\n  token: c2VjcmV0LXRva2Vu\n`;
  for (let i = 0; i < services; i++)
    files[`services/svc-${i}.yaml`] =
      `apiVersion: v1\nkind: Service\nmetadata: {name: svc-${i}, namespace: ${ns}}\nspec:\n  ports: [{name: http, port: 80, targetPort: 8080}]\n`;
  for (let i = 0; i < deployments; i++) files[`apps/a${i}.yaml`] = deployment(`a${i}`, 1, ns);
  return files;
}

/** Berth: `ROUNDS` no-op resyncs (empty commits) of an `n`-object source; ms each, and peaks. */
async function resync(n: number) {
  const t0 = performance.now();
  const b = await startBerthUp(objects(n));
  const firstMs = performance.now() - t0;
  try {
    const lifePeakBefore = b.peakRssMiB();
    b.resetPeak();
    const times: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const t = performance.now();
      const sha = await b.commit({}, `no-op ${r}`);
      await b.settled(sha);
      times.push(performance.now() - t);
    }
    return {
      times,
      firstMs,
      lifePeakMiB: Math.max(lifePeakBefore, b.peakRssMiB()),
      resyncPeakMiB: b.peakRssMiB(),
      rssMiB: b.rssMiB(),
    };
  } finally {
    await b.cleanup();
  }
}

requireDist();
const f = (ms: number) => Math.round(ms).toLocaleString('en');
const convergeRows: string[] = [];
let perPod0: number | undefined;
for (const pods of POD_SIZES) {
  loads.push(`converge ${pods}: ${load()}`);
  console.log(`converge ${pods} pods (load ${load()})`);
  const raws: number[] = [];
  const runs: Array<Awaited<ReturnType<typeof converge>>> = [];
  for (let r = 0; r < ROUNDS; r++) {
    raws.push(await rawContainers(pods));
    runs.push(await converge(pods));
    const c = runs.at(-1) as (typeof runs)[number];
    console.log(
      `  round ${r + 1}: berth ${f(c.ms)} ms (settled ${f(c.settledMs)} ms), raw ${f(raws.at(-1) ?? 0)} ms, peak RSS ${c.peakMiB.toFixed(0)} MiB (load ${load()})`,
    );
  }
  const raw = median(raws);
  const c = {
    ms: median(runs.map((x) => x.ms)),
    settledMs: median(runs.map((x) => x.settledMs)),
    peakMiB: Math.max(...runs.map((x) => x.peakMiB)),
  };
  const perPod = c.ms / pods;
  perPod0 ??= perPod;
  convergeRows.push(
    `| ${pods} | ${f(c.ms)} | ${f(raw)} | ${(c.ms / raw).toFixed(2)}x | ${perPod.toFixed(0)} (${(perPod / perPod0).toFixed(2)}x the first size) | ${f(c.settledMs)} | ${c.peakMiB.toFixed(0)} |`,
  );
}
const resyncRows: string[] = [];
for (const n of OBJECT_SIZES) {
  loads.push(`resync ${n}: ${load()}`);
  console.log(`no-op resync of ${n} objects (load ${load()})`);
  const r = await resync(n);
  console.log(
    `  ${r.times.map(f).join(', ')} ms; first apply ${f(r.firstMs)} ms; peak RSS ${r.lifePeakMiB.toFixed(0)} MiB (resyncs ${r.resyncPeakMiB.toFixed(0)} MiB)`,
  );
  const target = n <= 1000 ? 200 : 400;
  resyncRows.push(
    `| ${n.toLocaleString('en')} | ${f(median(r.times))} | ${f(r.firstMs)} | ${r.lifePeakMiB.toFixed(0)} | ${r.resyncPeakMiB.toFixed(0)} | ${r.rssMiB.toFixed(0)} | < ${target} MiB: ${r.lifePeakMiB < target ? 'met' : 'MISSED'} |`,
  );
}
loads.push(`end: ${load()}`);
console.log(
  `\nconverge from a commit, berth up from dist/ (a process per size and round), against raw Docker create+start of as many containers: medians of ${ROUNDS} (peak RSS: the highest)`,
);
console.log('| pods | berth ms | raw ms | ratio | berth ms per pod | settled ms | peak RSS MiB |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of convergeRows) console.log(row);
console.log(`\nno-op resync (empty commit to Synced and Healthy), median of ${ROUNDS}`);
console.log(
  '| objects | resync ms | first apply ms (start to settled) | peak RSS MiB (life) | peak RSS MiB (resyncs) | RSS after MiB | target |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const row of resyncRows) console.log(row);
console.log(
  `\nload average (1/5/15 min) at each step on ${os.cpus().length} CPUs:\n  ${loads.join('\n  ')}`,
);
