// Benchmark: how long the node layer takes to (1) start a pod and (2) re-sync a converged pod
// (the no-op a controller causes on every reconcile), each against a baseline measured in the
// same run: (1) a bare `docker create` + `start` of two containers, (2) listing and inspecting
// the pod's containers (the least a level-triggered sync must read).
// Run: npm run bench:node-sync
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { NodeAgent } from '../src/node/index.js';
import type { Pod } from '../src/node/pod-spec.js';
import { instanceFilter } from '../src/runtime/index.js';
import { removeLabelled } from '../test/harness/docker.js';

const ROUNDS = 5;
const SYNCS = 30;
const IMAGE = 'berth.local/busybox:1';
const docker = new Docker({
  socketPath: process.env.BERTH_DOCKER_SOCKET ?? '/var/run/docker.sock',
});
const id = `b${randomBytes(4).toString('hex')}`;
const stateDir = path.join(os.tmpdir(), `berth-bench-${id}`);
const agent = new NodeAgent({
  docker,
  instance: id,
  stateDir,
  memoryDir: `/dev/shm/berth-bench/${id}`,
  resyncMs: 60_000,
});

function pod(name: string): Pod {
  return {
    metadata: { name, namespace: 'bench' },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: [
        { name: 'a', image: IMAGE, command: ['sleep', '3600'] },
        { name: 'b', image: IMAGE, command: ['sleep', '3600'] },
      ],
    },
  };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

try {
  const baselineStart: number[] = [];
  const berthStart: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    baselineStart.push(
      await time(async () => {
        for (const n of ['a', 'b']) {
          const c = await docker.createContainer({
            name: `${id}_raw${i}_${n}`,
            Image: IMAGE,
            Cmd: ['sleep', '3600'],
            Labels: { 'io.berth.test-run': id },
          });
          await c.start();
        }
      }),
    );
    berthStart.push(await time(() => agent.syncPod(pod(`p${i}`))));
  }
  const p = pod('p0');
  const baselineSync: number[] = [];
  const berthSync: number[] = [];
  for (let i = 0; i < SYNCS; i++) {
    baselineSync.push(
      await time(async () => {
        const list = await docker.listContainers({
          all: true,
          filters: JSON.stringify({ label: [...instanceFilter(id), 'io.berth.pod=p0'] }),
        });
        await Promise.all(list.map((c) => docker.getContainer(c.Id).inspect()));
      }),
    );
    berthSync.push(await time(() => agent.syncPod(p)));
  }
  const report = (label: string, base: number[], berth: number[]) =>
    console.log(
      `${label}: berth ${median(berth).toFixed(1)} ms, baseline ${median(base).toFixed(1)} ms, ratio ${(median(berth) / median(base)).toFixed(2)}x`,
    );
  report(
    'pod start (sandbox + 2 containers) vs docker create+start of 2',
    baselineStart,
    berthStart,
  );
  report(
    'no-op syncPod of a running pod vs list+inspect of its containers',
    baselineSync,
    berthSync,
  );
} finally {
  agent.stop();
  await removeLabelled(docker, id);
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(`/dev/shm/berth-bench/${id}`, { recursive: true, force: true });
}
