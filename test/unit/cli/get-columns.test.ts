import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COLUMNS } from '../../../src/kubectl/resource-columns.js';
import type { StoredObject } from '../../../src/store/index.js';

interface Case {
  kind: string;
  object: Record<string, unknown>;
  row: string[];
  wide: string[];
}

const NOW = new Date('2026-11-23T12:00:00Z');
const cases = parse(
  readFileSync(path.join(import.meta.dirname, 'fixtures/get-columns.yaml'), 'utf8'),
) as Case[];

// Times in the fixtures are seconds relative to NOW ('-300'): turned into ISO 8601 here.
function withTimes(value: unknown): unknown {
  if (typeof value === 'string' && /^-\d+$/.test(value))
    return new Date(NOW.getTime() + Number(value) * 1000).toISOString();
  if (Array.isArray(value)) return value.map(withTimes);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withTimes(v)]));
  return value;
}

describe('berth get columns per kind (fixtures/get-columns.yaml)', () => {
  it.each(cases.map((c, i) => [`${c.kind} #${i}`, c] as const))('%s', (_, c) => {
    const object = {
      apiVersion: 'v1',
      kind: c.kind,
      metadata: {
        name: 'db',
        namespace: 'shop',
        uid: 'u',
        generation: 1,
        creationTimestamp: new Date(NOW.getTime() - 300_000).toISOString(),
      },
      ...(withTimes(c.object) as Record<string, unknown>),
    } as StoredObject;
    const columns = COLUMNS[c.kind];
    expect(columns).toBeDefined();
    const { cells, wide } = columns?.row(object, NOW) ?? { cells: [], wide: [] };
    expect(cells).toEqual(c.row);
    expect(cells).toHaveLength(columns?.header.length ?? 0);
    expect(wide).toEqual(c.wide);
    expect(wide).toHaveLength(columns?.wide.length ?? 0);
  });
});
