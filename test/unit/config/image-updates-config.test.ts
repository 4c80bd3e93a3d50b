import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-imageupdates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Loads a berth.yaml whose single source has these `imageUpdates` lines (YAML, indented 6). */
function load(updates: string, extra = '') {
  const file = path.join(dir, 'berth.yaml');
  writeFileSync(
    file,
    `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nsources:\n  - name: shop\n    repo: ./repo${extra}\n    rollback: {authorName: Robot, authorEmail: robot@example.com}\n    imageUpdates:\n${updates}`,
  );
  return loadConfig({ path: file, env: {} });
}

describe('sources[].imageUpdates', () => {
  it('compiles Flux shapes and the short forms, with defaults', () => {
    const c = load(`      - image: registry.example.com:5000/team/web
        policy: {semver: {range: ">=1.0.0 <2"}}
      - name: api
        image: registry.example.com/api
        policy: {semver: "^1.2"}
        interval: 5s
        authorName: Images
        authorEmail: images@example.com
      - image: registry.example.com/date-tagged
        policy: {alphabetical: {order: desc}}
      - image: busybox
        policy: {numerical: asc}
        filterTags: {pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts'}
`);
    expect(c.sources[0]?.imageUpdates).toEqual([
      {
        name: 'web',
        image: 'registry.example.com:5000/team/web',
        policy: { semver: { range: '>=1.0.0 <2' } },
        intervalMs: 60_000,
        author: { name: 'Robot', email: 'robot@example.com' },
      },
      {
        name: 'api',
        image: 'registry.example.com/api',
        policy: { semver: { range: '^1.2' } },
        intervalMs: 5000,
        author: { name: 'Images', email: 'images@example.com' },
      },
      {
        name: 'date-tagged',
        image: 'registry.example.com/date-tagged',
        policy: { alphabetical: { order: 'desc' } },
        intervalMs: 60_000,
        author: { name: 'Robot', email: 'robot@example.com' },
      },
      {
        name: 'busybox',
        image: 'busybox',
        policy: { numerical: { order: 'asc' } },
        filterTags: { pattern: '^main-[a-f0-9]+-(?<ts>[0-9]+)$', extract: '$ts' },
        intervalMs: 60_000,
        author: { name: 'Robot', email: 'robot@example.com' },
      },
    ]);
  });

  it.each([
    [
      'a bad semver range',
      '      - image: r.example.com/web\n        policy: {semver: {range: ">=1.0.0 <<2"}}\n',
      /berth\.yaml:9:34: sources\[0\]\.imageUpdates\[0\]\.policy\.semver\.range \(shop\): ">=1\.0\.0 <<2" is not a semver range/,
    ],
    [
      'a bad regular expression',
      '      - image: r.example.com/web\n        policy: {numerical: asc}\n        filterTags: {pattern: "^(v[0-9+$"}\n',
      /berth\.yaml:10:31: sources\[0\]\.imageUpdates\[0\]\.filterTags\.pattern \(shop\): "\^\(v\[0-9\+\$" is not a regular expression/,
    ],
    [
      'an extract naming a missing group',
      '      - image: r.example.com/web\n        policy: {numerical: asc}\n        filterTags: {pattern: "^v(?P<n>[0-9]+)$", extract: "$ts"}\n',
      /berth\.yaml:10:60: .*filterTags\.extract \(shop\): "\$ts" names the group \$ts, which pattern/,
    ],
    [
      'an extract naming a missing numbered group',
      '      - image: r.example.com/web\n        policy: {numerical: asc}\n        filterTags: {pattern: "^v([0-9]+)$", extract: "$2"}\n',
      /names the group \$2/,
    ],
    [
      'an image with a tag',
      '      - image: r.example.com/web:1.0\n        policy: {numerical: asc}\n',
      /berth\.yaml:8:16: .*image \(shop\): "r\.example\.com\/web:1\.0" must name a repository without tag or digest/,
    ],
    [
      'a name used twice',
      '      - image: r.example.com/web\n        policy: {numerical: asc}\n      - image: other.example.com/web\n        policy: {numerical: asc}\n',
      /imageUpdates\[1\]\.image \(shop\): the name "web" is used twice/,
    ],
    [
      'two policies',
      '      - image: r.example.com/web\n        policy: {numerical: asc, alphabetical: asc}\n',
      /policy: must NOT have more than 1 properties/,
    ],
  ])('refuses %s, positioned in the file', (_what, updates, message) => {
    expect(() => load(updates)).toThrow(message);
  });

  it('refuses image updates on a source that follows a tag', () => {
    expect(() =>
      load('      - image: r.example.com/web\n        policy: {numerical: asc}\n', '\n    tag: v1'),
    ).toThrow(/image updates commit to a branch/);
  });
});
