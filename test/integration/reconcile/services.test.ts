import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthEnv } from '../../harness/berth-env.js';
import { type RunningCli, startCli } from '../../harness/cli.js';
import { useDocker } from '../../harness/docker.js';
import { execIn } from '../../harness/docker-exec.js';
import { eventually } from '../../harness/eventually.js';
import { commitFiles, initRepo } from '../../harness/git.js';
import { useRedis } from '../../harness/redis.js';
import { useTempDir } from '../../harness/tmp.js';
import { deploymentYaml, serveText } from '../../harness/workloads.js';
import { Observer, writeConfig } from './reconcile-harness.js';

/** GET / on 127.0.0.1:port with a Host header (fetch does not let a caller set Host). */
function get(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: '/', headers: { host }, timeout: 5000 },
      (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** A namespace's web tier: pods answering `<text>` on a port named http (8080), a Service on 80. */
function tier(namespace: string, text: string): string {
  return `${deploymentYaml({
    namespace,
    replicas: 2,
    script: serveText(text),
    container: { ports: [{ name: 'http', containerPort: 8080 }] },
    readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 1 },
  })}---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: ${namespace}}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
`;
}

const CLIENT = `apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - {name: sh, image: berth.local/busybox:1, command: [sleep, '3600']}
`;

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
    - host: shop.example
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;

// Through `berth up`: pods reach Services by name across namespaces over their ClusterIPs, and
// the host reaches them through the Ingress proxy.
describe('reconcile: Services, DNS and Ingress through berth up', () => {
  const dir = useTempDir();
  const docker = useDocker();
  const redis = useRedis();
  const observe = new Observer(redis.client, redis.prefix, docker.docker, docker.id);
  let berth: RunningCli;
  let env: Record<string, string>;
  let sha: string;

  beforeAll(async () => {
    const repo = await initRepo(path.join(dir, 'repo'));
    const config = writeConfig(dir, redis.prefix, repo);
    sha = await commitFiles(
      repo,
      {
        'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n',
        'default.yaml': tier('default', 'from-default'),
        'other.yaml': tier('other', 'from-other'),
        'client.yaml': CLIENT,
        'ingress.yaml': INGRESS,
      },
      'two tiers, a client, an ingress',
    );
    env = await berthEnv(dir, docker.id);
    berth = startCli(['up', '-c', config], { env, cwd: dir });
  });
  afterAll(() => berth?.stop());

  /** Runs wget in the client pod. */
  async function wget(url: string): Promise<string> {
    const client = docker.docker.getContainer(`${docker.id}_default_client_sh`);
    return (await execIn(client, ['timeout', '5', 'wget', '-qO-', url])).stdout.trim();
  }

  it('the source turns Healthy once every Service has ready endpoints', async () => {
    const state = await observe.settled(sha);
    expect(state).toMatchObject({ health: 'Healthy', total: 7 });
    const svc = await observe.store.get('Service/default/web');
    expect((svc?.status as { clusterIP?: string } | undefined)?.clusterIP).toMatch(
      /^10\.\d+\.\d+\.\d+$/,
    );
    const ep = await observe.store.get('Endpoints/default/web');
    expect(
      (ep as unknown as { subsets: Array<{ addresses: unknown[]; ports: unknown[] }> }).subsets[0],
    ).toMatchObject({
      addresses: [expect.anything(), expect.anything()],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    });
  });

  it('a pod reaches Services by full name, short name and across namespaces', async () => {
    expect(await wget('http://web.default.svc.cluster.local/')).toBe('from-default');
    expect(await wget('http://web/')).toBe('from-default');
    expect(await wget('http://web.other/')).toBe('from-other');
  });

  it('the host reaches the Service through the Ingress proxy by Host header', async () => {
    const port = Number(env.BERTH_INGRESS_PORT);
    const res = await eventually(
      async () => {
        const r = await get(port, 'shop.example');
        if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${r.body}`);
        return r;
      },
      { what: 'the ingress route', timeout: 20_000 },
    );
    expect(res.body).toBe('from-default\n');
    expect((await get(port, 'nope.example')).status).toBe(404);
  });
});
