import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  ChainNames,
  compileProxyOptions,
  MAX_CHAIN_NAME,
  type ProxyOptions,
  type ProxyRuleSet,
  type ProxyService,
  planCleanup,
  planRestore,
  renderProxyRules,
} from '../../../../src/network/proxy/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

interface Fixture {
  options: ProxyOptions;
  services: ProxyService[];
}

function fixture(name: string): Fixture {
  return load(readFileSync(join(FIXTURES, `${name}.yaml`), 'utf8')) as Fixture;
}

function render(f: Fixture): ProxyRuleSet {
  return renderProxyRules({ services: f.services }, compileProxyOptions(f.options));
}

/** Compares with fixtures/expected/<name>; `UPDATE_GOLDEN=1` rewrites the file instead. */
function golden(name: string, text: string): void {
  const path = join(FIXTURES, 'expected', name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

const EMPTY = { nat: '*nat\nCOMMIT\n', filter: '*filter\nCOMMIT\n' };

describe('renderProxyRules (golden)', () => {
  it.each(['basic', 'affinity', 'nodeport'])('%s', (name) => {
    golden(`${name}.rules`, planRestore(render(fixture(name)), EMPTY));
  });

  it('balances with probability 1/(n-i) and DNATs each endpoint to its target port', () => {
    const rules = render(fixture('basic')).nat.rules.join('\n');
    expect(rules).toContain('--probability 0.3333333333');
    expect(rules).toContain('--probability 0.5000000000');
    for (const ip of ['10.244.0.3', '10.244.0.7', '10.244.0.12'])
      expect(rules).toContain(`-j DNAT --to-destination ${ip}:8080`);
  });

  it('rejects Service ports without ready endpoints in the filter table only', () => {
    const set = render(fixture('basic'));
    expect(set.filter.rules).toHaveLength(2);
    expect(set.filter.rules.join('\n')).toMatch(
      /-d 10\.96\.0\.20\/32 -p tcp -m tcp --dport 5432 .*-j REJECT/,
    );
    expect(set.filter.rules.join('\n')).toMatch(
      /-d 10\.96\.0\.10\/32 -p tcp -m tcp --dport 9090 .*-j REJECT/,
    );
    expect(set.nat.rules.join('\n')).not.toContain('10.96.0.20');
  });

  it('is deterministic: the order of Services, ports and endpoints does not matter', () => {
    const f = fixture('basic');
    const shuffled: Fixture = {
      options: f.options,
      services: [...f.services].reverse().map((s) => ({
        ...s,
        ports: [...s.ports].reverse(),
        endpoints: [...s.endpoints].reverse(),
      })),
    };
    expect(render(shuffled)).toEqual(render(f));
  });

  it('keeps every chain name within 28 characters and apart from other instances', () => {
    const a = render(fixture('nodeport'));
    const b = render({ ...fixture('nodeport'), options: { instance: 'other' } });
    const all = [...a.nat.chains, ...a.filter.chains, ...b.nat.chains];
    for (const chain of all) expect(chain.length).toBeLessThanOrEqual(MAX_CHAIN_NAME);
    expect(a.nat.chains.filter((c) => b.nat.chains.includes(c))).toEqual([]);
    expect(a.nat.chains.every((c) => a.names.owns(c) && !b.names.owns(c))).toBe(true);
  });

  it.each([
    ['clusterIP', { clusterIP: '10.96.0.300' }],
    ['ports[0].port', { ports: [{ name: 'http', port: 0 }] }],
    ['ports[0].protocol', { ports: [{ name: 'http', port: 80, protocol: 'ICMP' }] }],
    ['endpoints[0].ip', { endpoints: [{ ip: '10.244.0.1; rm', ports: { http: 80 } }] }],
    ['endpoints[0].ports', { endpoints: [{ ip: '10.244.0.1', ports: { nope: 80 } }] }],
    [
      'sessionAffinity.timeoutSeconds',
      { sessionAffinity: { type: 'ClientIP', timeoutSeconds: 0 } },
    ],
    ['namespace', { namespace: 'Bad Name' }],
  ])('rejects a bad %s with InvalidProxyState naming the field', (field, patch) => {
    const service = { ...fixture('basic').services[0], ...patch } as ProxyService;
    const run = () =>
      renderProxyRules({ services: [service] }, compileProxyOptions({ instance: 'x' }));
    expect(run).toThrow(
      expect.objectContaining({
        code: 'InvalidProxyState',
        data: expect.objectContaining({ field }),
      }),
    );
  });

  it('rejects two Services on one ClusterIP and two ports on one NodePort', () => {
    const [web] = fixture('nodeport').services as [ProxyService];
    const opts = compileProxyOptions({ instance: 'x' });
    expect(() => renderProxyRules({ services: [web, { ...web, name: 'copy' }] }, opts)).toThrow(
      /clusterIP: expected an address not used by Service default\/copy/,
    );
    expect(() =>
      renderProxyRules(
        { services: [web, { ...web, name: 'copy', clusterIP: '10.96.0.99' }] },
        opts,
      ),
    ).toThrow(/nodePort: expected a port not used by default\/copy:http/);
  });

  it('rejects bad options', () => {
    expect(() => compileProxyOptions({ instance: 'a"b' })).toThrow(/instance/);
    expect(() => compileProxyOptions({ instance: 'a', masqueradeBit: 3 })).toThrow(/masqueradeBit/);
    expect(() => compileProxyOptions({ instance: 'a', clusterCIDR: '10.0.0.0' })).toThrow(
      /clusterCIDR/,
    );
  });
});

describe('planRestore / planCleanup (golden)', () => {
  const names = new ChainNames('golden');
  const other = new ChainNames('other');
  const jump = `-m comment --comment "berth golden services" -j ${names.services}`;
  const current = {
    nat: [
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      ':POSTROUTING ACCEPT [0:0]',
      `:${names.services} - [0:0]`,
      `:${names.prefix}SVC-OLDOLDOLDOLDOL - [0:0]`,
      `:${other.services} - [0:0]`,
      `-A PREROUTING ${jump}`,
      `-A PREROUTING ${jump}`,
      `-A PREROUTING -m comment --comment "other" -j ${other.services}`,
      `-A POSTROUTING -j ${names.postrouting}`,
      `-A ${names.services} -d 10.96.0.99/32 -j ${names.prefix}SVC-OLDOLDOLDOLDOL`,
      'COMMIT',
    ].join('\n'),
    filter: '*filter\n:INPUT ACCEPT [0:0]\nCOMMIT\n',
  };

  it('deletes stale chains and duplicate or outdated jumps, inserts missing ones, leaves others', () => {
    const text = planRestore(render(fixture('stale')), current);
    golden('stale.restore', text);
    expect(text).not.toContain(other.prefix);
    expect(text.match(/^-D PREROUTING/gm)).toHaveLength(1);
    expect(text).toContain(`-X ${names.prefix}SVC-OLDOLDOLDOLDOL`);
  });

  it('cleanup removes every chain and jump of the instance and nothing else', () => {
    const text = planCleanup(names, current);
    golden('cleanup.restore', text);
    expect(text).not.toContain(other.prefix);
    expect(planCleanup(names, EMPTY)).toBe('');
  });
});
