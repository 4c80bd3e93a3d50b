// Benchmark: HTTP through Berth's Ingress proxy (http-proxy-3, in this process) against straight
// to the backend (busybox httpd in a container), same backend, same client container, same run.
// Three measures, alternating direct/Ingress rounds (ABBA), medians compared: (1) request rate,
// sequential busybox `wget`s of a small page (a new connection each); (2) request rate with 8
// such clients in parallel; (3) throughput, downloads of a 64 MiB file. Prints the
// Ingress/direct ratio of each, and Ingress/bare: against a bare node:http pipe proxy in this
// same process (what any Node proxy costs), the library's own overhead.
// Run: npm run bench:ingress [-- <requests per round> <rounds>]   (defaults: 300, 3)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Docker from 'dockerode';
import { buildRouteTable, CertificateSet, IngressProxy } from '../src/network/ingress/index.js';
import { removeLabelled } from '../test/harness/docker.js';
import { TEST_LABEL, uniqueId } from '../test/harness/run-id.js';
import { endpoints, ingress, service } from '../test/integration/network/ingress-fixture.js';
import { ProxyLab } from '../test/integration/network/proxy-lab.js';

const REQUESTS = Number(process.argv[2] ?? 300);
const ROUNDS = Number(process.argv[3] ?? 3);
const PARALLEL = 8;
const DOWNLOADS = 5;
const MIB = 64;
const docker = new Docker({
  socketPath: process.env.BERTH_DOCKER_SOCKET ?? '/var/run/docker.sock',
});
const id = uniqueId('bench');

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

type Kind = 'direct' | 'bare' | 'ingress';

function report(title: string, unit: string, values: Record<Kind, number>) {
  console.log(title);
  console.log(`  direct to pod IP     : ${values.direct.toFixed(1)} ${unit}`);
  console.log(`  bare node:http pipe  : ${values.bare.toFixed(1)} ${unit}`);
  console.log(`  through Ingress      : ${values.ingress.toFixed(1)} ${unit}`);
  console.log(`  ratio Ingress/direct : ${(values.ingress / values.direct).toFixed(3)}x`);
  console.log(`  ratio Ingress/bare   : ${(values.ingress / values.bare).toFixed(3)}x`);
}

/** The least a Node proxy does: one request to the backend per request, piped both ways. */
function bareProxy(host: string, backend: string): Promise<http.Server> {
  const [ip, port] = backend.split(':');
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      { host: ip, port: Number(port), path: req.url, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, host, () => resolve(server)));
}

async function main(): Promise<void> {
  let proxy: IngressProxy | undefined;
  let bare: http.Server | undefined;
  try {
    const lab = await ProxyLab.start(docker, id, { [TEST_LABEL]: id }, ['A'], {
      extraFiles: `dd if=/dev/zero of=/w/big bs=1M count=${MIB} 2>/dev/null`,
    });
    const pod = lab.backends[0]?.ip as string;
    // The proxy listens on the lab network's gateway: the host address the client container reaches.
    proxy = await IngressProxy.start({ host: lab.network.gateway, port: 0 });
    const { table } = buildRouteTable({
      ingresses: [ingress('web', { '': [['/', 'Prefix', 'web']] })],
      services: [service('web')],
      endpoints: [endpoints('web', [pod])],
    });
    proxy.update(table, CertificateSet.empty());
    bare = await bareProxy(lab.network.gateway, `${pod}:8080`);
    const targets: Record<Kind, string> = {
      direct: `${pod}:8080`,
      bare: `${lab.network.gateway}:${(bare.address() as AddressInfo).port}`,
      ingress: `${lab.network.gateway}:${proxy.addresses().http.port}`,
    };
    const kinds: Kind[] = ['direct', 'bare', 'ingress'];
    const series = (): Record<Kind, number[]> => ({ direct: [], bare: [], ingress: [] });
    const rate = series();
    const parallel = series();
    const bandwidth = series();
    const loop = (url: string, n: number) =>
      `for i in $(seq ${n}); do wget -qO- ${url} >/dev/null || exit 1; done`;
    for (let round = 0; round < ROUNDS; round += 1) {
      // ABBA order, so a drift in the host's load weighs on both sides alike.
      const order = round % 2 === 0 ? kinds : [...kinds].reverse();
      for (const kind of order) {
        const url = `http://${targets[kind]}`;
        rate[kind].push(REQUESTS / (await timed(lab, loop(`${url}/`, REQUESTS))));
        const each = Math.ceil(REQUESTS / PARALLEL);
        const clients = Array.from({ length: PARALLEL }, () => `(${loop(`${url}/`, each)}) &`);
        const s = await timed(lab, `${clients.join(' ')} wait`);
        parallel[kind].push((each * PARALLEL) / s);
        const b = await timed(lab, loop(`${url}/big`, DOWNLOADS));
        bandwidth[kind].push((DOWNLOADS * MIB) / b);
      }
    }
    const med = (x: Record<Kind, number[]>) => ({
      direct: median(x.direct),
      bare: median(x.bare),
      ingress: median(x.ingress),
    });
    report(
      `requests (${REQUESTS} sequential wget, median of ${ROUNDS} rounds)`,
      'req/s',
      med(rate),
    );
    report(
      `requests (${PARALLEL} parallel wget loops, median of ${ROUNDS} rounds)`,
      'req/s',
      med(parallel),
    );
    report(
      `throughput (${DOWNLOADS} x ${MIB} MiB, median of ${ROUNDS} rounds)`,
      'MiB/s',
      med(bandwidth),
    );
  } finally {
    await proxy?.close();
    bare?.close();
    await removeLabelled(docker, id);
  }
}

await main();
