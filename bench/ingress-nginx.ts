// Benchmark: Berth's Ingress proxy against Debian's nginx as a reverse proxy to the same pods
// (two busybox httpd backends on a Docker network of the benchmark's own), same keep-alive
// settings, one process each (nginx: 1 worker), both on loopback. Load: wrk, bounded in time, for
// 1, 16 and 64 connections; rounds alternate the order (ABBA) and medians are compared. Also
// prints wrk straight to one pod IP, for scale, and through the smallest Node proxy that can
// be written (bench/node-floor-proxy.ts, in this process like the Ingress): Berth against it is
// Berth's own cost, it against nginx is Node's. Issue #20 target: Ingress >= 0.8x nginx req/s.
//   npm run bench:ingress-nginx [-- <seconds per run> <rounds>]   (defaults: 5, 3)
import os from 'node:os';
import Docker from 'dockerode';
import { buildRouteTable, CertificateSet, IngressProxy } from '../src/network/ingress/index.js';
import { removeLabelled } from '../test/harness/docker.js';
import { freePort } from '../test/harness/ports.js';
import { TEST_LABEL, uniqueId } from '../test/harness/run-id.js';
import { endpoints, ingress, service } from '../test/integration/network/ingress-fixture.js';
import { ProxyLab } from '../test/integration/network/proxy-lab.js';
import { type NginxPeer, startNginx } from './nginx-peer.js';
import { type NodeFloorProxy, startNodeFloorProxy } from './node-floor-proxy.js';
import { type WrkResult, wrk, wrkVersion } from './wrk.js';

const SECONDS = Number(process.argv[2] ?? 5);
const ROUNDS = Number(process.argv[3] ?? 3);
const CONNECTIONS = [1, 16, 64];
const docker = new Docker({
  socketPath: process.env.BERTH_DOCKER_SOCKET ?? '/var/run/docker.sock',
});
const id = uniqueId('bench');

type Kind = 'direct' | 'nginx' | 'ingress' | 'node';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main(): Promise<void> {
  const have = await wrkVersion();
  if ('missing' in have) throw new Error(have.missing);
  let proxy: IngressProxy | undefined;
  let nginx: NginxPeer | undefined;
  let floor: NodeFloorProxy | undefined;
  const loads: number[][] = [];
  try {
    const lab = await ProxyLab.start(docker, id, { [TEST_LABEL]: id }, ['A', 'B']);
    const pods = lab.backends.map((b) => b.ip);
    proxy = await IngressProxy.start({ host: '127.0.0.1', port: 0 });
    const { table } = buildRouteTable({
      ingresses: [ingress('web', { '': [['/', 'Prefix', 'web']] })],
      services: [service('web')],
      endpoints: [endpoints('web', pods)],
    });
    proxy.update(table, CertificateSet.empty());
    const peer = await startNginx(
      await freePort(),
      pods.map((ip) => `${ip}:8080`),
    );
    nginx = peer;
    floor = await startNodeFloorProxy(pods.map((ip) => `${ip}:8080`));
    const urls: Record<Kind, string> = {
      direct: `http://${pods[0]}:8080/`,
      nginx: `http://127.0.0.1:${peer.port}/`,
      ingress: `http://127.0.0.1:${proxy.addresses().http.port}/`,
      node: `http://127.0.0.1:${floor.port}/`,
    };
    const kinds: Kind[] = ['nginx', 'ingress', 'node', 'direct'];
    const results = new Map<string, WrkResult[]>();
    for (let round = 0; round < ROUNDS; round += 1) {
      console.log(
        `round ${round + 1} of ${ROUNDS} (load average ${os
          .loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')})`,
      );
      loads.push(os.loadavg());
      for (const c of CONNECTIONS) {
        const order = round % 2 === 0 ? kinds : [...kinds].reverse();
        for (const kind of order) {
          const cpu0 = kind === 'ingress' || kind === 'node' ? process.cpuUsage() : undefined;
          const nginx0 = peer.cpuMs();
          const r = await wrk(urls[kind], c, SECONDS);
          const cpuMs = cpu0
            ? (() => {
                const d = process.cpuUsage(cpu0);
                return (d.user + d.system) / 1000;
              })()
            : kind === 'nginx'
              ? peer.cpuMs() - nginx0
              : 0;
          r.cpuUsPerRequest = r.requests ? (cpuMs * 1000) / r.requests : 0;
          console.log(
            `  ${kind.padEnd(7)} c=${String(c).padStart(2)}: ${r.requestsPerSecond.toFixed(0)} req/s, p99 ${r.p99Ms.toFixed(1)} ms, ${r.errors} errors${kind === 'direct' ? '' : `, proxy CPU ${r.cpuUsPerRequest?.toFixed(0)} us/request`}`,
          );
          const key = `${kind}/${c}`;
          results.set(key, [...(results.get(key) ?? []), r]);
        }
      }
    }
    loads.push(os.loadavg());
    const med = (kind: Kind, c: number, pick: (r: WrkResult) => number) =>
      median((results.get(`${kind}/${c}`) ?? []).map(pick));
    console.log(
      `\nIngress vs nginx ${'version' in have ? `(wrk ${have.version}, ` : '('}${SECONDS} s per run, median of ${ROUNDS} rounds)`,
    );
    console.log(
      '| connections | Berth Ingress req/s | nginx req/s | ratio | Berth p99 ms | nginx p99 ms | direct to pod req/s | proxy CPU us/request, Berth / nginx | bare Node proxy req/s | Berth / bare Node | bare Node / nginx | bare Node CPU us/request |',
    );
    console.log(
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const c of CONNECTIONS) {
      const b = med('ingress', c, (r) => r.requestsPerSecond);
      const n = med('nginx', c, (r) => r.requestsPerSecond);
      const f = med('node', c, (r) => r.requestsPerSecond);
      const floorCols = `${f.toFixed(0)} | ${(b / f).toFixed(2)}x | ${(f / n).toFixed(2)}x | ${med('node', c, (r) => r.cpuUsPerRequest ?? 0).toFixed(0)} |`;
      console.log(
        `| ${c} | ${b.toFixed(0)} | ${n.toFixed(0)} | ${(b / n).toFixed(2)}x${b / n >= 0.8 ? '' : ' (target >= 0.8x MISSED)'} | ${med('ingress', c, (r) => r.p99Ms).toFixed(1)} | ${med('nginx', c, (r) => r.p99Ms).toFixed(1)} | ${med('direct', c, (r) => r.requestsPerSecond).toFixed(0)} | ${med('ingress', c, (r) => r.cpuUsPerRequest ?? 0).toFixed(0)} / ${med('nginx', c, (r) => r.cpuUsPerRequest ?? 0).toFixed(0)} | ${floorCols}`,
      );
    }
    const errors = [...results.values()].flat().reduce((n, r) => n + r.errors, 0);
    console.log(`errors (non-2xx or socket) over all runs: ${errors}`);
    console.log(
      `load average (1 min) during the runs: ${loads.map((l) => (l[0] ?? 0).toFixed(1)).join(', ')} on ${os.cpus().length} CPUs`,
    );
  } finally {
    await nginx?.stop();
    await floor?.close();
    await proxy?.close();
    await removeLabelled(docker, id);
  }
}

await main();
