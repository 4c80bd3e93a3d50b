import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  buildRouteTable,
  pathMatches,
  requestHost,
} from '../../../../src/network/ingress/index.js';
import { ofKind } from '../../../../src/store/index.js';
import { asStored } from '../../../harness/stored-objects.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/**
 * A fixture: store objects (the metadata the store assigns left out), requests with the backend
 * each must reach, the problems reported.
 */
interface Fixture {
  objects: { apiVersion: string; kind: string; metadata: { name: string } }[];
  cases: { host: string; path: string; want: string }[];
  backends?: Record<string, string[]>;
  problems: { ingress: string; reason: string }[];
}

function build(f: Fixture) {
  const objects = f.objects.map(asStored);
  return buildRouteTable({
    ingresses: ofKind(objects, 'Ingress'),
    services: ofKind(objects, 'Service'),
    endpoints: ofKind(objects, 'Endpoints'),
  });
}

const fixtures = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.yaml'))
  .map((file) => ({
    name: file.replace(/\.yaml$/, ''),
    fixture: load(readFileSync(join(FIXTURES, file), 'utf8')) as Fixture,
  }));

describe.each(fixtures)('route table: $name', ({ fixture }) => {
  const { table, problems } = build(fixture);

  it.each(fixture.cases)('$host $path → $want', ({ host, path, want }) => {
    const match = table.match(requestHost(host), path);
    expect(match.kind === 'none' ? '404' : match.backend.name).toBe(want);
  });

  it('reports exactly the expected problems', () => {
    expect(problems.map(({ ingress, reason }) => ({ ingress, reason }))).toEqual(fixture.problems);
    for (const p of problems) expect(p.message).toMatch(/^spec\./);
  });

  if (fixture.backends) {
    it('routes to the ready endpoints only', () => {
      const pools = new Map(table.routes.map((r) => [r.backend.name, r.backend.addresses]));
      for (const [name, addresses] of Object.entries(fixture.backends ?? {}))
        expect(pools.get(name), name).toEqual(addresses);
    });
  }
});

describe('route table', () => {
  it('takes the ready endpoints of a backend in turn', () => {
    const f = fixtures.find((x) => x.name === 'endpoints')?.fixture as Fixture;
    const match = build(f).table.match('x', '/http');
    if (match.kind === 'none') throw new Error('no match');
    const picks = Array.from({ length: 6 }, () => match.backend.next());
    expect(picks).toEqual([
      '10.244.0.3:8080',
      '10.244.0.5:8080',
      '10.244.0.7:8081',
      '10.244.0.3:8080',
      '10.244.0.5:8080',
      '10.244.0.7:8081',
    ]);
  });

  it('is the same whatever the order of the Ingresses', () => {
    const f = fixtures.find((x) => x.name === 'merge')?.fixture as Fixture;
    const reversed = { ...f, objects: [...f.objects].reverse() };
    const a = build(f);
    const b = build(reversed);
    for (const c of f.cases) {
      const ma = a.table.match(c.host, c.path);
      const mb = b.table.match(c.host, c.path);
      expect(mb.kind === 'none' ? '404' : mb.backend.name).toBe(
        ma.kind === 'none' ? '404' : ma.backend.name,
      );
    }
    expect(b.problems).toEqual(a.problems);
  });
});

describe('pathMatches', () => {
  it.each([
    ['Prefix', '/', '/anything', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/', true],
    ['Prefix', '/aaa/bbb/', '/aaa/bbb', true],
    ['Prefix', '/aaa/bbb', '/aaa/bbbxyz', false],
    ['Prefix', '/aaa/bbb', '/aaa/bbb/ccc', true],
    ['Exact', '/foo', '/foo', true],
    ['Exact', '/foo', '/foo/', false],
    ['Exact', '/foo', '/bar', false],
  ] as const)('%s %s on %s: %s', (type, rule, path, want) => {
    expect(pathMatches(type, rule, path)).toBe(want);
  });
});

describe('requestHost', () => {
  it.each([
    ['Foo.COM:8080', 'foo.com'],
    ['foo.com.', 'foo.com'],
    ['[::1]:8080', '[::1]'],
    ['', ''],
  ])('%s → %s', (header, want) => {
    expect(requestHost(header)).toBe(want);
  });
});
