import { describe, expect, it } from 'vitest';
import { parseMarker, setImages } from '../../../src/image-updates/index.js';

// The marker cases follow fluxcd/image-automation-controller's setters fixtures
// (pkg/update/testdata/setters/{original,expected}/marked.yaml, kustomization.yaml): a policy
// `policy` whose latest image is `updated:v1.0.1`.
const policy = { name: 'policy', image: 'updated', tag: 'v1.0.1' };

describe('setImages: $imagepolicy markers (Flux setters)', () => {
  it('a full marker sets image:tag in a CronJob (marked.yaml)', () => {
    const original = `apiVersion: batch/v1beta1
kind: CronJob
metadata:
  name: foo
  namespace: bar
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: c
            image: image:v1.0.0 # {"$imagepolicy": "automation-ns:policy"}
`;
    const result = setImages('marked.yaml', original, [policy]);
    expect(result.text).toBe(original.replace('image:v1.0.0', 'updated:v1.0.1'));
    expect(result.changes).toEqual([
      {
        file: 'marked.yaml',
        line: 14,
        object: '(marker)',
        field: '$imagepolicy automation-ns:policy',
        old: 'image:v1.0.0',
        new: 'updated:v1.0.1',
        oldTag: 'v1.0.0',
      },
    ]);
  });

  it(':name and :tag markers set newName and newTag of a kustomization (kustomization.yaml)', () => {
    const original = `# This is not intended to be a working kustomization
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- unimportant.yaml
images:
- name: container
  newName: replaced # {"$imagepolicy": "automation-ns:policy:name"}
  newTag: v1 # {"$imagepolicy": "automation-ns:policy:tag"}
`;
    const result = setImages('kustomization.yaml', original, [policy]);
    expect(result.text).toBe(
      original
        .replace('newName: replaced', 'newName: updated')
        .replace('newTag: v1 ', 'newTag: v1.0.1 '),
    );
    expect(result.changes.map((c) => [c.line, c.old, c.new])).toEqual([
      [8, 'replaced', 'updated'],
      [9, 'v1', 'v1.0.1'],
    ]);
  });

  it('a marker naming another update is left alone', () => {
    const text = 'spec:\n  image: user:v1.0.0 # {"$imagepolicy": "ns:other"}\n';
    expect(setImages('x.yaml', text, [policy]).changes).toEqual([]);
  });

  it.each([
    ['policy', { name: 'policy', part: 'image' }],
    ['ns:policy', { name: 'policy', part: 'image' }],
    ['ns:policy:tag', { name: 'policy', part: 'tag' }],
    ['policy:name', { name: 'policy', part: 'name' }],
    ['ns:other', undefined],
    ['a:b:policy:tag', undefined],
  ])('parseMarker(%s)', (value, expected) => {
    expect(parseMarker(value, new Set(['policy']))).toEqual(expected);
  });
});

describe('setImages: containers of every pod template kind', () => {
  const target = { name: 'web', image: 'registry.example.com:5000/team/web', tag: '1.1.0' };
  it.each([
    ['Deployment', 'spec:\n  template:\n    spec:\n'],
    ['StatefulSet', 'spec:\n  template:\n    spec:\n'],
    ['DaemonSet', 'spec:\n  template:\n    spec:\n'],
    ['Job', 'spec:\n  template:\n    spec:\n'],
    ['CronJob', 'spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n'],
  ])('%s: containers and initContainers of that repository', (kind, prefix) => {
    const indent = ' '.repeat(prefix.split('\n').at(-2)?.search(/\S/) ?? 0);
    const body = `${indent}  initContainers:\n${indent}    - {name: migrate, image: "registry.example.com:5000/team/web:1.0.0"}\n${indent}  containers:\n${indent}    - name: web\n${indent}      image: registry.example.com:5000/team/web:1.0.0 # comment kept\n${indent}    - name: other\n${indent}      image: registry.example.com:5000/team/other:1.0.0\n`;
    const text = `kind: ${kind}\nmetadata: {name: app}\n${prefix}${body}`;
    const result = setImages('app.yaml', text, [target]);
    expect(result.text).toBe(text.replaceAll('team/web:1.0.0', 'team/web:1.1.0'));
    expect(result.changes.map((c) => `${c.object} ${c.field}`)).toEqual([
      `${kind}/app initContainer migrate`,
      `${kind}/app container web`,
    ]);
  });

  it('Pod, several documents, the repository as written (Docker Hub short names)', () => {
    const text =
      'kind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - {name: n, image: nginx:1.25}\n---\n# second\nkind: Pod\nmetadata: {name: b}\nspec:\n  containers:\n  - {name: n, image: docker.io/library/nginx:1.25}\n';
    const result = setImages('pods.yaml', text, [{ name: 'nginx', image: 'nginx', tag: '1.27' }]);
    expect(result.text).toBe(
      text.replace('nginx:1.25', 'nginx:1.27').replace('library/nginx:1.25', 'library/nginx:1.27'),
    );
    expect(result.changes.map((c) => c.line)).toEqual([5, 12]);
  });

  it('leaves digests, other repositories, same tags, and non-workloads alone', () => {
    const text = `kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      containers:
        - {name: a, image: "registry.example.com:5000/team/web:1.0.0@sha256:${'a'.repeat(64)}"}
        - {name: b, image: registry.example.com:5000/team/web:1.1.0}
        - {name: c, image: registry.example.com:5000/team/web2:1.0.0}
---
kind: ConfigMap
metadata: {name: c}
data: {image: "registry.example.com:5000/team/web:1.0.0"}
`;
    expect(setImages('x.yaml', text, [target])).toEqual({ text, changes: [], skipped: [] });
  });

  it('a tag that would read as a number stays a string; quoting style is kept', () => {
    const text = `kind: Kustomization
images:
  - name: web
    newName: registry.example.com:5000/team/web
    newTag: 1.0
  - name: registry.example.com:5000/team/web
    newTag: '1.0'
  - name: other
    newTag: "1.0"
`;
    const result = setImages('kustomization.yaml', text, [{ ...target, tag: '1.10' }]);
    expect(result.text).toBe(
      text.replace('newTag: 1.0\n', 'newTag: "1.10"\n').replace("'1.0'", "'1.10'"),
    );
    expect(result.changes.map((c) => c.field)).toEqual([
      'images[0].newTag (registry.example.com:5000/team/web)',
      'images[1].newTag (registry.example.com:5000/team/web)',
    ]);
  });

  it('an anchored image keeps its anchor; a block scalar is reported, not edited', () => {
    const text = `kind: Pod
metadata: {name: a}
spec:
  containers:
    - name: a
      image: &img registry.example.com:5000/team/web:1.0.0
    - name: b
      image: |-
        registry.example.com:5000/team/web:1.0.0
`;
    const result = setImages('pod.yaml', text, [target]);
    expect(result.text).toBe(
      text.replace(
        '&img registry.example.com:5000/team/web:1.0.0',
        '&img registry.example.com:5000/team/web:1.1.0',
      ),
    );
    expect(result.skipped).toEqual([
      'Pod/a container b: a BLOCK_LITERAL scalar is not edited in place',
    ]);
  });

  it('a file that is not YAML is left as it is', () => {
    const text = 'kind: Pod\nspec: [unclosed\n';
    expect(setImages('bad.yaml', text, [target]).text).toBe(text);
  });
});

describe('setImages: hostile files (issue #15)', () => {
  it('leaves a file nested deeper than the YAML limit as it is, without parsing it (no abort)', () => {
    const deep = `spec:\n  image: user:v1.0.0 # {"$imagepolicy": "ns:policy"}\nx: ${'['.repeat(512 * 1024)}${']'.repeat(512 * 1024)}\n`;
    const result = setImages('deep.yaml', deep, [policy]);
    expect(result.text).toBe(deep);
    expect(result.changes).toEqual([]);
    expect(result.skipped).toEqual([expect.stringContaining('nests deeper than the limit of 100')]);
  });
});
