import { describe, expect, it } from 'vitest';
import { loadManifests, validateRevision } from '../../../src/manifests/index.js';
import type { SourceFile } from '../../../src/source/index.js';

const enc = (s: string) => new TextEncoder().encode(s);
const file = (path: string, text: string): SourceFile => ({
  path,
  content: enc(text),
  mode: 'file',
});
const link = (path: string, target: string): SourceFile => ({
  path,
  content: enc(target),
  mode: 'symlink',
});
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('loadManifests', () => {
  it('reads yaml, yml and json recursively in sorted order, skipping dot-files and other files', () => {
    const r = loadManifests([
      file('b/z.yml', cm('z')),
      file('a.yaml', `${cm('a1')}---\n${cm('a2')}`),
      file('c.json', '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}'),
      file('.github/ci.yaml', cm('hidden')),
      file('.hidden.yaml', cm('hidden2')),
      file('README.md', '# not a manifest'),
      file('empty.yaml', '---\n# nothing\n'),
    ]);
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => `${o.file}:${o.position.line} ${o.name}`)).toEqual([
      'a.yaml:1 a1',
      'a.yaml:6 a2',
      'b/z.yml:1 z',
      'c.json:1 c',
    ]);
  });

  it('expands kind: List and positions items inside it', () => {
    const r = loadManifests([
      file(
        'list.yaml',
        `apiVersion: v1\nkind: List\nitems:\n  - ${cm('one').replace(/\n(?=.)/g, '\n    ')}  - ${cm('two').replace(/\n(?=.)/g, '\n    ')}`,
      ),
    ]);
    expect(r.objects.map((o) => [o.name, o.base, o.position.line, o.position.column])).toEqual([
      ['one', '/items/0', 4, 5],
      ['two', '/items/1', 8, 5],
    ]);
  });

  it('rejects duplicate keys, bad YAML, non-UTF-8 and missing kind, with positions, and goes on', () => {
    const r = loadManifests([
      file('dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\n'),
      file('tab.yaml', 'a:\n\tb: 1\n'),
      {
        path: 'latin1.yaml',
        content: Uint8Array.from([0x6b, 0x3a, 0x20, 0xe9, 0x0a]),
        mode: 'file',
      },
      file('nokind.yaml', 'apiVersion: v1\nmetadata: {}\n'),
      file('noversion.yaml', 'kind: ConfigMap\n'),
      file('scalar.yaml', 'just a string\n'),
      file('ok.yaml', cm('ok')),
    ]);
    const got = r.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.code} ${p.message}`);
    expect(got).toEqual(
      [
        'dup.yaml:3:1 yaml YAML: Map keys must be unique',
        'latin1.yaml:1:1 file not UTF-8 text: manifests must be encoded in UTF-8',
        "nokind.yaml:1:1 missing-type missing 'kind': every manifest needs apiVersion and kind",
        "noversion.yaml:1:1 missing-type ConfigMap: missing 'apiVersion': every manifest needs apiVersion and kind",
        'scalar.yaml:1:1 missing-type a manifest must be a mapping with apiVersion and kind',
        'tab.yaml:2:1 yaml YAML: Tabs are not allowed as indentation',
      ]
        .sort()
        .filter(() => true)
        .sort((a, b) => (a < b ? -1 : 1))
        .map((x) => x),
    );
    expect(r.objects.map((o) => o.name)).toEqual(['ok']);
  });

  it('bounds alias expansion (billion laughs)', () => {
    const lol = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++)
      lol.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const r = loadManifests([file('lol.yaml', `${lol.join('\n')}\n`)]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.code).toBe('limit');
    expect(r.problems[0]?.message).toMatch(/alias/);
  });

  it('caps the size of a file, of the revision and the number of documents', () => {
    const big = loadManifests(
      [file('big.yaml', cm('x').padEnd(2000, '#')), file('ok.yaml', cm('ok'))],
      { maxFileBytes: 1000 },
    );
    expect(big.problems.map((p) => [p.file, p.code])).toEqual([['big.yaml', 'limit']]);
    expect(big.objects.map((o) => o.name)).toEqual(['ok']);
    const total = loadManifests([file('a.yaml', cm('a')), file('b.yaml', cm('b'))], {
      maxTotalBytes: 60,
    });
    expect(total.problems.map((p) => [p.file, p.message])).toEqual([
      ['b.yaml', expect.stringMatching(/limit of 60 bytes in total/)],
    ]);
    const docs = loadManifests(
      [file('many.yaml', Array.from({ length: 5 }, (_, i) => cm(`c${i}`)).join('---\n'))],
      { maxDocuments: 3 },
    );
    expect(docs.objects).toHaveLength(3);
    expect(docs.problems[0]?.message).toMatch(/more than 3 documents/);
  });

  it('builds the kustomization at the root and positions a build error in it', () => {
    const r = loadManifests([
      file('kustomization.yaml', 'resources:\n- a.yaml\n- missing.yaml\n'),
      file('a.yaml', cm('a')),
    ]);
    expect(r.objects).toEqual([]);
    expect(r.problems.map((p) => [p.file, p.line, p.column, p.code])).toEqual([
      ['kustomization.yaml', 3, 3, 'kustomize'],
    ]);
    expect(r.problems[0]?.message).toMatch(/'missing.yaml' doesn't exist/);
  });

  it('builds a root kustomization into objects positioned in their base file', () => {
    const r = loadManifests([
      file('kustomization.yaml', 'namePrefix: p-\nresources:\n- base\n'),
      file('base/kustomization.yaml', 'resources:\n- cm.yaml\n'),
      file('base/cm.yaml', `# comment\n${cm('a')}`),
    ]);
    expect(r.problems).toEqual([]);
    expect(r.objects.map((o) => [o.file, o.name, o.position.line, o.via])).toEqual([
      ['base/cm.yaml', 'p-a', 2, 'base/kustomization.yaml'],
    ]);
  });

  it('does not build a kustomization below the root, and says how to', () => {
    const r = loadManifests([file('a.yaml', cm('a')), file('base/Kustomization', 'x: 1\n')]);
    expect(r.problems.map((p) => [p.file, p.code])).toEqual([['base/Kustomization', 'kustomize']]);
    expect(r.problems[0]?.message).toMatch(/point the source path/);
  });

  it('resolves symlinks inside the source path and refuses those leaving it', () => {
    const r = loadManifests([
      file('real/cm.txt', cm('via-link')),
      link('linked.yaml', 'real/cm.txt'),
      file('plain.yaml', cm('plain')),
      link('again.yaml', 'plain.yaml'),
      link('escape.yaml', '../outside.yaml'),
      link('abs.yaml', '/etc/passwd'),
      link('dangling.yaml', 'nothing.yaml'),
      link('loop-a.yaml', 'loop-b.yaml'),
      link('loop-b.yaml', 'loop-a.yaml'),
    ]);
    expect(r.objects.map((o) => `${o.file} ${o.name}`)).toEqual([
      'linked.yaml via-link',
      'plain.yaml plain',
    ]);
    expect(r.problems.map((p) => `${p.file} ${p.message}`)).toEqual([
      'abs.yaml symlink to "/etc/passwd" points outside the source path: refused',
      'dangling.yaml symlink to "nothing.yaml" points at nothing in the source path',
      'escape.yaml symlink to "../outside.yaml" points outside the source path: refused',
      'loop-a.yaml symlink loop (more than 40 links)',
      'loop-b.yaml symlink loop (more than 40 links)',
    ]);
  });
});

describe('fast and positioned paths agree', () => {
  const text = `# header\n---\n# only a comment\n---\n${cm('a')}data:\n  when: 2020-01-01\n  on: yes\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: x}]\n`;
  // The same file, once plain (fast path) and once with an anchor (positioned path).
  const anchored = text.replace('name: s}', 'name: &n s}');
  for (const [label, body] of [
    ['plain', text],
    ['with an anchor', anchored],
  ] as const) {
    it(`${label}: positions, YAML 1.2 scalars`, () => {
      const r = validateRevision([file('f.yaml', body)]);
      expect(r.problems.map((p) => `${p.line}:${p.column} ${p.path}`)).toEqual([
        '17:18 spec.ports[0].port',
      ]);
      const loaded = loadManifests([file('f.yaml', body)]);
      expect(loaded.objects.map((o) => [o.name, o.position.line, o.position.column])).toEqual([
        ['a', 5, 1],
        ['s', 13, 1],
      ]);
      expect(loaded.objects[0]?.value.data).toEqual({ when: '2020-01-01', on: 'yes' });
    });
  }

  it('reads the scalars the two parsers disagree on as the yaml library does', () => {
    const r = loadManifests([file('s.yaml', `${cm('s')}data: {}\nx: [-.5, +.5, 0b11, .5]\n`)]);
    expect(r.objects[0]?.value.x).toEqual([-0.5, 0.5, '0b11', 0.5]);
  });
});

describe('validateRevision', () => {
  it('reports all problems of all files in one run, and gives no desired state when invalid', () => {
    const r = validateRevision([
      file(
        'a.yaml',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a}]}\n',
      ),
      file(
        'b.yaml',
        'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: x}]}\n',
      ),
      file('c.yaml', cm('fine')),
    ]);
    expect(r.valid).toBe(false);
    expect(r.objects).toBe(3);
    expect(r.problems.map((p) => `${p.file}:${p.line}:${p.column} ${p.path}`)).toEqual([
      'a.yaml:4:21 spec.containers[0].image',
      'b.yaml:4:23 spec.ports[0].port',
    ]);
    expect(r.state.objects.size).toBe(0);
  });

  it('gives the desired state keyed by apiVersion, kind, namespace and name, with positions', () => {
    const r = validateRevision([file('x/c.yaml', `# comment\n${cm('fine')}`)]);
    expect(r.valid).toBe(true);
    const obj = r.state.objects.get('v1 ConfigMap default/fine');
    expect(obj?.source).toEqual({ file: 'x/c.yaml', line: 2, column: 1 });
    expect(obj?.object.kind).toBe('ConfigMap');
  });
});
