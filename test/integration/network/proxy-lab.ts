import type Docker from 'dockerode';
import { type ExecResult, execIn } from '../../harness/docker-exec.js';
import { eventually } from '../../harness/eventually.js';

const IMAGE = 'berth.local/busybox:1';

/** A busybox container of the lab and its address on the lab network. */
export interface LabContainer {
  name: string;
  ip: string;
  container: Docker.Container;
}

/**
 * A bridge network of its own (random 10.2xx.y.0/24 subnet, labelled for cleanup) with busybox
 * `httpd` backends, each answering its own text on port 8080, and a client container: real
 * pods for the proxy's traffic tests and benchmark. Everything carries `labels`.
 */
export class ProxyLab {
  private constructor(
    readonly docker: Docker,
    readonly network: { name: string; subnet: string; gateway: string; bridge: string },
    readonly backends: (LabContainer & { text: string })[],
    readonly client: LabContainer,
  ) {}

  static async start(
    docker: Docker,
    id: string,
    labels: Record<string, string>,
    texts: string[],
    options: { extraFiles?: string } = {},
  ): Promise<ProxyLab> {
    const network = await createNetwork(docker, `${id}-proxy`, labels);
    const run = async (name: string, cmd: string): Promise<LabContainer> => {
      const container = await docker.createContainer({
        name,
        Image: IMAGE,
        Cmd: ['sh', '-c', cmd],
        Labels: labels,
        HostConfig: { NetworkMode: network.name },
      });
      await container.start();
      const info = await container.inspect();
      const ip = info.NetworkSettings.Networks[network.name]?.IPAddress ?? '';
      return { name, ip, container };
    };
    const backends = await Promise.all(
      texts.map(async (text, i) => ({
        text,
        ...(await run(
          `${id}-backend-${i}`,
          `mkdir /w && echo ${text} > /w/index.html && ${options.extraFiles ?? 'true'} && exec httpd -f -p 8080 -h /w`,
        )),
      })),
    );
    const client = await run(`${id}-client`, 'exec sleep 3600');
    const lab = new ProxyLab(docker, network, backends, client);
    for (const backend of backends) await lab.waitForHttp(`${backend.ip}:8080`, backend.text);
    return lab;
  }

  /** Runs `sh -c command` in `target` (default the client) and collects its output. */
  exec(command: string, target: LabContainer = this.client): Promise<ExecResult> {
    return execIn(target.container, ['sh', '-c', command]);
  }

  /** `count` sequential `wget`s of `http://address/` from `from`; the body of each (trimmed). */
  async requests(address: string, count: number, from?: LabContainer): Promise<string[]> {
    const result = await this.exec(
      `for i in $(seq ${count}); do timeout 10 wget -qO- http://${address}/ || echo FAILED; done`,
      from,
    );
    return result.stdout.split('\n').filter((l) => l !== '');
  }

  private async waitForHttp(address: string, text: string): Promise<void> {
    await eventually(
      async () => {
        const [body] = await this.requests(address, 1);
        if (body !== text) throw new Error(`it answered ${JSON.stringify(body)}`);
        return true;
      },
      { what: `backend ${address} to answer ${text}` },
    );
  }
}

/** Counts of each distinct line. */
export function tally(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) counts[line] = (counts[line] ?? 0) + 1;
  return counts;
}

async function createNetwork(
  docker: Docker,
  name: string,
  labels: Record<string, string>,
): Promise<{ name: string; subnet: string; gateway: string; bridge: string }> {
  for (let attempt = 0; ; attempt += 1) {
    const prefix = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 256)}`;
    const subnet = `${prefix}.0/24`;
    const gateway = `${prefix}.1`;
    try {
      const created = await docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: labels,
        IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: gateway }] },
      });
      return { name, subnet, gateway, bridge: `br-${created.id.slice(0, 12)}` };
    } catch (err) {
      if (attempt >= 5 || !/overlap/i.test(String(err))) throw err;
    }
  }
}
