import { lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAtomically } from '../../../src/node/atomic-writer.js';
import type { Pod } from '../../../src/node/pod-spec.js';
import { downwardFiles, keyFiles } from '../../../src/node/volume-files.js';
import { useTempDir } from '../../harness/tmp.js';

const tmp = useTempDir();
const b = (s: string) => Buffer.from(s);

describe('writeAtomically', () => {
  it('publishes files through a ..data symlink and swaps it on change', async () => {
    const dir = path.join(tmp, 'vol');
    expect(
      await writeAtomically(dir, {
        greeting: { data: b('hi'), mode: 0o644 },
        'conf/app.ini': { data: b('x=1'), mode: 0o600 },
      }),
    ).toBe(true);
    expect(readFileSync(path.join(dir, 'greeting'), 'utf8')).toBe('hi');
    expect(readFileSync(path.join(dir, 'conf/app.ini'), 'utf8')).toBe('x=1');
    expect(lstatSync(path.join(dir, 'greeting')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(dir, 'greeting'))).toBe('..data/greeting');
    expect(statSync(path.join(dir, 'conf/app.ini')).mode & 0o777).toBe(0o600);
    const first = readlinkSync(path.join(dir, '..data'));
    // Same content: nothing written.
    expect(
      await writeAtomically(dir, {
        greeting: { data: b('hi'), mode: 0o644 },
        'conf/app.ini': { data: b('x=1'), mode: 0o600 },
      }),
    ).toBe(false);
    // Changed content: new version, old version and removed keys gone.
    expect(await writeAtomically(dir, { greeting: { data: b('hello'), mode: 0o644 } })).toBe(true);
    expect(readlinkSync(path.join(dir, '..data'))).not.toBe(first);
    expect(readFileSync(path.join(dir, 'greeting'), 'utf8')).toBe('hello');
    expect(readdirSync(dir).sort()).toEqual(
      ['..data', readlinkSync(path.join(dir, '..data')), 'greeting'].sort(),
    );
  });
});

describe('keyFiles', () => {
  const data = { a: b('1'), b: b('2') };
  it('projects every key with defaultMode, or only items with their paths and modes', () => {
    expect(Object.keys(keyFiles({ kind: 'configmap', name: 'c' }, data, undefined, 0o644))).toEqual(
      ['a', 'b'],
    );
    const items = keyFiles(
      { kind: 'configmap', name: 'c' },
      data,
      [{ key: 'b', path: 'dir/bee', mode: 0o400 }],
      0o644,
    );
    expect(items).toEqual({ 'dir/bee': { data: b('2'), mode: 0o400 } });
  });
  it('refuses a missing source or key unless optional, and paths escaping the volume', () => {
    expect(() => keyFiles({ kind: 'secret', name: 's' }, undefined, undefined, 0o644)).toThrow(
      /secret "s" not found/,
    );
    expect(
      keyFiles({ kind: 'secret', name: 's', optional: true }, undefined, undefined, 0o644),
    ).toEqual({});
    expect(() =>
      keyFiles({ kind: 'configmap', name: 'c' }, data, [{ key: 'z', path: 'z' }], 0o644),
    ).toThrow(/key "z"/);
    expect(() =>
      keyFiles(
        { kind: 'configmap', name: 'c' },
        data,
        [{ key: 'a', path: '../etc/passwd' }],
        0o644,
      ),
    ).toThrow(/must not contain '\.\.'/);
    // Keys are file names: Kubernetes' rule again on the node, whatever the store holds.
    for (const key of ['../../tmp/x', '..data', 'a/b', '..', 'bad key!'])
      expect(() =>
        keyFiles({ kind: 'secret', name: 's' }, { [key]: Buffer.from('x') }, undefined, 0o644),
      ).toThrow(/secret "s": key/);
  });
});

describe('downwardFiles', () => {
  it('writes pod fields, labels as k="v" lines and resource fields', () => {
    const pod: Pod = {
      metadata: { name: 'p', namespace: 'ns', labels: { b: '2', a: '1' } },
      spec: { containers: [{ name: 'c', image: 'i', resources: { limits: { memory: '64Mi' } } }] },
    };
    const files = downwardFiles(
      pod,
      [
        { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
        { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
        {
          path: 'mem',
          resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' },
        },
      ],
      0o644,
      { podIP: '', hostIP: '', nodeName: '' },
    );
    expect(
      Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.data.toString()])),
    ).toEqual({
      name: 'p',
      labels: 'a="1"\nb="2"',
      mem: '64',
    });
  });
});
