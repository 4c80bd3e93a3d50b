// Benchmark: HTTP through a Service ClusterIP (Berth's iptables DNAT) against straight to the
// pod IP, same backend, same client, same run. Two measures, alternating direct/VIP rounds:
// (1) request rate: sequential busybox `wget`s of a small page; (2) throughput: downloads of a
// 64 MiB file. Rounds alternate the order (ABBA); medians are compared. Prints the VIP/direct ratio of each (target >= 0.95x).
// Run: npm run bench:proxy [-- <requests per round> <rounds>]   (defaults: 300, 5)
import Docker from 'dockerode';
import { ProxyApplier } from '../src/network/proxy/index.js';
import { removeLabelled } from '../test/harness/docker.js';
import { TEST_LABEL, uniqueId } from '../test/harness/run-id.js';
import { ProxyLab } from '../test/integration/network/proxy-lab.js';

const REQUESTS = Number(process.argv[2] ?? 300);
const ROUNDS = Number(process.argv[3] ?? 5);
const DOWNLOADS = 5;
const MIB = 64;
const docker = new Docker({
  socketPath: process.env.BERTH_DOCKER_SOCKET ?? '/var/run/docker.sock',
});
const id = uniqueId('bench');
const vip = `10.123.${Math.floor(Math.random() * 256)}.10`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function timed(lab: ProxyLab, command: string): Promise<number> {
  const t0 = performance.now();
  const result = await lab.exec(command);
  if (result.code !== 0) throw new Error(`benchmark command failed: ${command}: ${result.stderr}`);
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  const applier = new ProxyApplier({ instance: id });
  try {
    const lab = await ProxyLab.start(docker, id, { [TEST_LABEL]: id }, ['A'], {
      extraFiles: `dd if=/dev/zero of=/w/big bs=1M count=${MIB} 2>/dev/null`,
    });
    const pod = lab.backends[0]?.ip as string;
    await applier.apply({
      services: [
        {
          namespace: 'bench',
          name: 'web',
          clusterIP: vip,
          ports: [{ name: 'http', port: 80 }],
          endpoints: [{ ip: pod, ports: { http: 8080 } }],
        },
      ],
    });
    const targets = { direct: `${pod}:8080`, vip: `${vip}:80` };
    const rate = { direct: [] as number[], vip: [] as number[] };
    const bandwidth = { direct: [] as number[], vip: [] as number[] };
    for (let round = 0; round < ROUNDS; round += 1) {
      // ABBA order, so a drift in the host's load weighs on both sides alike.
      const order = round % 2 === 0 ? (['direct', 'vip'] as const) : (['vip', 'direct'] as const);
      for (const kind of order) {
        const url = `http://${targets[kind]}`;
        const s = await timed(
          lab,
          `for i in $(seq ${REQUESTS}); do wget -qO- ${url}/ >/dev/null || exit 1; done`,
        );
        rate[kind].push(REQUESTS / s);
        const b = await timed(
          lab,
          `for i in $(seq ${DOWNLOADS}); do wget -qO- ${url}/big >/dev/null || exit 1; done`,
        );
        bandwidth[kind].push((DOWNLOADS * MIB) / b);
      }
    }
    const r = { direct: median(rate.direct), vip: median(rate.vip) };
    const bw = { direct: median(bandwidth.direct), vip: median(bandwidth.vip) };
    console.log(`requests (${REQUESTS} sequential wget, median of ${ROUNDS} rounds)`);
    console.log(`  direct to pod IP : ${r.direct.toFixed(1)} req/s`);
    console.log(`  through ClusterIP: ${r.vip.toFixed(1)} req/s`);
    console.log(`  ratio            : ${(r.vip / r.direct).toFixed(3)}x (target >= 0.95x)`);
    console.log(`throughput (${DOWNLOADS} x ${MIB} MiB, median of ${ROUNDS} rounds)`);
    console.log(`  direct to pod IP : ${bw.direct.toFixed(1)} MiB/s`);
    console.log(`  through ClusterIP: ${bw.vip.toFixed(1)} MiB/s`);
    console.log(`  ratio            : ${(bw.vip / bw.direct).toFixed(3)}x (target >= 0.95x)`);
  } finally {
    await applier.cleanup();
    await removeLabelled(docker, id);
  }
}

await main();
