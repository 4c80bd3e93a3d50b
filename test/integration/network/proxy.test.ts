// The Service proxy against real traffic: busybox httpd backends on a bridge network of this
// test's own, a client container, VIPs from a test-only service CIDR, and Berth's iptables
// chains for this test's instance only (removed in afterAll, pass or fail).
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChainNames,
  compileProxyOptions,
  ProxyApplier,
  type ProxyService,
  planRestore,
  renderProxyRules,
  restoreTables,
  saveTables,
  wantedJumps,
} from '../../../src/network/proxy/index.js';
import { ClusterIPAllocator } from '../../../src/network/services/index.js';
import { useDocker } from '../../harness/docker.js';
import { useRedis } from '../../harness/redis.js';
import { ProxyLab, tally } from './proxy-lab.js';

const { docker, id, labels } = useDocker();
const redis = useRedis();
const names = new ChainNames(id);
const serviceCIDR = `10.123.${Math.floor(Math.random() * 256)}.0/24`;
const allocator = new ClusterIPAllocator(redis.client, redis.prefix, serviceCIDR);
const nodePort = 30000 + Math.floor(Math.random() * 2700);
let lab: ProxyLab;
let applier: ProxyApplier;
const vip: Record<string, string> = {};

function saved(): string {
  return execFileSync('iptables-save', { encoding: 'utf8' });
}

/** A Service `default/<name>` on port 80 → 8080 over the given backends of the lab. */
function service(
  name: string,
  backends: number[],
  extra: Partial<ProxyService> = {},
): ProxyService {
  return {
    namespace: 'default',
    name,
    clusterIP: vip[name] as string,
    ports: [{ name: 'http', port: 80 }],
    endpoints: backends.map((i) => ({ ip: lab.backends[i]?.ip as string, ports: { http: 8080 } })),
    ...extra,
  };
}

beforeAll(async () => {
  for (const name of ['web', 'empty', 'sticky', 'self', 'extra'])
    vip[name] = await allocator.allocate(`default/${name}`);
  lab = await ProxyLab.start(docker, id, labels, ['A', 'B', 'C']);
  applier = new ProxyApplier({
    instance: id,
    nodePortAddresses: [lab.network.gateway],
    hairpinBridges: [lab.network.bridge],
  });
});

afterAll(async () => {
  // Runs before useDocker's cleanup, whatever the tests did.
  await applier?.cleanup();
  expect(saved()).not.toContain(names.prefix);
});

describe('Service proxy (real traffic)', () => {
  it('balances VIP:80 over every ready endpoint on targetPort 8080', async () => {
    await applier.apply({ services: [service('web', [0, 1, 2])] });
    const counts = tally(await lab.requests(vip.web as string, 60));
    expect(Object.keys(counts).sort()).toEqual(['A', 'B', 'C']);
    expect((counts.A ?? 0) + (counts.B ?? 0) + (counts.C ?? 0)).toBe(60);
  });

  it('takes a not-ready endpoint out of rotation at the next apply', async () => {
    await applier.apply({ services: [service('web', [0, 1])] });
    const counts = tally(await lab.requests(vip.web as string, 30));
    expect(Object.keys(counts).sort()).toEqual(['A', 'B']);
  });

  it('refuses a Service without endpoints at once (connection refused, not a timeout)', async () => {
    await applier.apply({ services: [service('web', [0, 1, 2]), service('empty', [])] });
    const result = await lab.exec(`timeout 20 wget -qO- http://${vip.empty}/`);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/refused/i);
    expect(await lab.requests(vip.web as string, 1)).toHaveLength(1);
  });

  it('pins a client to one backend with sessionAffinity ClientIP', async () => {
    const sticky = service('sticky', [0, 1, 2], {
      sessionAffinity: { type: 'ClientIP', timeoutSeconds: 300 },
    });
    await applier.apply({ services: [service('web', [0, 1, 2]), sticky] });
    const counts = tally(await lab.requests(vip.sticky as string, 20));
    expect(Object.values(counts)).toEqual([20]);
    expect(['A', 'B', 'C']).toContain(Object.keys(counts)[0]);
  });

  it('lets a pod reach its own Service (hairpin)', async () => {
    await applier.apply({ services: [service('web', [0, 1, 2]), service('self', [0])] });
    const self = lab.backends[0];
    expect(await lab.requests(vip.self as string, 5, self)).toEqual(['A', 'A', 'A', 'A', 'A']);
    const counts = tally(await lab.requests(vip.web as string, 30, self));
    expect(counts.FAILED).toBeUndefined();
    expect(counts.A).toBeGreaterThan(0);
  });

  it('answers a NodePort on the host address it is given, from the host', async () => {
    const web = service('web', [0, 1, 2]);
    web.ports = [{ name: 'http', port: 80, nodePort }];
    await applier.apply({ services: [web] });
    const bodies: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      const response = await fetch(`http://${lab.network.gateway}:${nodePort}/`);
      bodies.push((await response.text()).trim());
    }
    expect(Object.keys(tally(bodies)).sort()).toEqual(['A', 'B', 'C']);
  });

  it('removes stale chains and keeps each jump exactly once across applies', async () => {
    await applier.apply({ services: [service('web', [0, 1, 2]), service('extra', [2])] });
    const extraChain = names.servicePort('default/extra:http/TCP');
    expect(saved()).toContain(`:${extraChain}`);
    expect(await lab.requests(vip.extra as string, 3)).toEqual(['C', 'C', 'C']);
    // A duplicate jump (e.g. left by a crash) is removed by the next apply.
    const [prerouting] = wantedJumps(names).nat;
    execFileSync('sh', ['-c', `iptables -t nat -I PREROUTING 1 ${prerouting?.spec}`]);
    const state = { services: [service('web', [0, 1, 2])] };
    await applier.apply(state);
    await applier.apply(state);
    // Converged: planning again against the host changes no jump.
    const again = planRestore(
      renderProxyRules(state, applier.options),
      await saveTables(applier.options),
    );
    expect(again).not.toMatch(/^-[ID] /m);
    const text = saved();
    expect(text).not.toContain(extraChain);
    for (const builtin of ['PREROUTING', 'OUTPUT', 'POSTROUTING', 'INPUT', 'FORWARD'])
      expect(
        text.split('\n').filter((l) => l.startsWith(`-A ${builtin} `) && l.includes(names.prefix))
          .length,
      ).toBeGreaterThan(0);
    const jumps = text
      .split('\n')
      .filter(
        (l) =>
          /^-A (PREROUTING|OUTPUT|POSTROUTING|INPUT|FORWARD) /.test(l) && l.includes(names.prefix),
      );
    // nat: PREROUTING, OUTPUT, POSTROUTING; filter: INPUT, FORWARD, OUTPUT.
    expect(jumps).toHaveLength(6);
    expect(new Set(jumps).size).toBe(6);
    // The extra Service's address is no longer proxied.
    expect((await lab.exec(`timeout 3 wget -qO- http://${vip.extra}/`)).code).not.toBe(0);
  });

  it('reports the failing line when iptables refuses a rule set, and changes nothing', async () => {
    const before = saved()
      .split('\n')
      .filter((l) => l.includes(names.prefix))
      .sort();
    const input = `*nat\n:${names.services} - [0:0]\n-A ${names.services} -j ${names.prefix}MISSING\nCOMMIT\n`;
    const error = await restoreTables(compileProxyOptions({ instance: id }), input).catch((e) => e);
    expect(error).toMatchObject({ code: 'IptablesRestoreFailed', data: { lineNumber: 3 } });
    expect(error.message).toContain(`-A ${names.services} -j ${names.prefix}MISSING`);
    expect(
      saved()
        .split('\n')
        .filter((l) => l.includes(names.prefix))
        .sort(),
    ).toEqual(before);
  });

  it('cleanup removes every chain and jump of the instance', async () => {
    expect(saved()).toContain(names.prefix);
    await applier.cleanup();
    expect(saved()).not.toContain(names.prefix);
    expect((await lab.exec(`timeout 3 wget -qO- http://${vip.web}/`)).code).not.toBe(0);
  });
});
