import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateRevision } from '../../../../src/manifests/index.js';
import {
  formatResources,
  RenderError,
  type Resource,
  renderKustomization,
} from '../../../../src/manifests/render/index.js';
import type { SourceFile } from '../../../../src/source/index.js';
import { runCli } from '../../../harness/cli.js';

const enc = new TextEncoder();
const file = (p: string, text: string): SourceFile => ({
  path: p,
  content: enc.encode(text),
  mode: 'file',
});
const link = (p: string, target: string): SourceFile => ({
  path: p,
  content: enc.encode(target),
  mode: 'symlink',
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.25
        envFrom:
        - configMapRef: {name: settings}
`;

const repo = (overlay: string, extra: SourceFile[] = []): SourceFile[] => [
  file('base/kustomization.yaml', 'resources:\n- deployment.yaml\n'),
  file('base/deployment.yaml', DEPLOYMENT),
  file('prod/kustomization.yaml', overlay),
  ...extra,
];

describe('Kustomize build', () => {
  it('builds an overlay: prefix, labels, generator hash, rewritten references, images', () => {
    const files = repo(
      [
        'resources: [../base]',
        'namePrefix: prod-',
        'commonLabels: {env: prod}',
        'configMapGenerator:',
        '- name: settings',
        '  literals: [MODE=fast]',
        'images:',
        '- name: nginx',
        '  newTag: "1.27"',
        'replicas:',
        '- name: web',
        '  count: 3',
        '',
      ].join('\n'),
    );
    const out = formatResources(renderKustomization(files, 'prod'));
    // Legacy order: the ConfigMap first; the hash is kustomize's for this content.
    expect(out).toMatch(/^apiVersion: v1\ndata:\n {2}MODE: fast\nkind: ConfigMap\n/);
    const name = /name: (prod-settings-[a-z0-9]{10})/.exec(out)?.[1];
    expect(name).toBeDefined();
    expect(out).toContain(`configMapRef:\n            name: ${name}`);
    expect(out).toContain('image: nginx:1.27');
    expect(out).toContain('replicas: 3');
    expect(out).toContain('matchLabels:\n      app: web\n      env: prod');
  });

  it('applies strategic merge and JSON 6902 patches by target', () => {
    const files = repo(
      [
        'resources: [../base]',
        'patches:',
        '- patch: |',
        '    apiVersion: apps/v1',
        '    kind: Deployment',
        '    metadata: {name: web}',
        '    spec:',
        '      template:',
        '        spec:',
        '          containers:',
        '          - name: sidecar',
        '            image: busybox',
        '- target: {kind: Deployment, name: web}',
        '  patch: |',
        '    - op: add',
        '      path: /spec/paused',
        '      value: true',
        '',
      ].join('\n'),
    );
    const deployment = renderKustomization(files, 'prod')[0] as Resource;
    const containers = (
      deployment.value as { spec: { template: { spec: { containers: Array<{ name: string }> } } } }
    ).spec.template.spec.containers;
    expect(containers.map((c) => c.name)).toEqual(['sidecar', 'web']);
    expect((deployment.value.spec as { paused: boolean }).paused).toBe(true);
  });

  it('refuses remote bases, Helm charts, files outside the root, symlinks out and cycles', () => {
    const err = (files: SourceFile[], dir = 'prod') => {
      try {
        renderKustomization(files, dir);
      } catch (e) {
        expect(e).toBeInstanceOf(RenderError);
        return e as RenderError;
      }
      throw new Error('built');
    };
    const remote = err(repo('resources:\n- github.com/org/repo//base?ref=v1\n'));
    expect(remote.message).toMatch(
      /remote resource .* not supported .* \(prod\/kustomization.yaml:2:3\)/,
    );
    expect(remote.place).toEqual({ file: 'prod/kustomization.yaml', line: 2, column: 3 });
    expect(err(repo('helmCharts:\n- name: x\n')).message).toMatch(/Helm charts are not supported/);
    expect(err(repo('resources:\n- ../base/deployment.yaml\n')).message).toMatch(
      /security; file '..\/base\/deployment.yaml' is not in or below 'prod'/,
    );
    expect(err(repo('resources:\n- ../../x\n')).message).toMatch(/outside the repository/);
    const out = err(repo('resources:\n- cm.yaml\n', [link('prod/cm.yaml', '../../etc/passwd')]));
    expect(out.message).toMatch(/prod\/cm.yaml/);
    const cycle = err(
      [
        file('a/kustomization.yaml', 'resources: [../b]\n'),
        file('b/kustomization.yaml', 'resources: [../a]\n'),
      ],
      'a',
    );
    expect(cycle.message).toMatch(/cycle in kustomizations: a -> b -> a/);
    expect(
      err(
        repo('transformers:\n- plugin.yaml\n', [
          file('prod/plugin.yaml', 'apiVersion: x/v1\nkind: Exec\n'),
        ]),
      ).message,
    ).toMatch(/not supported by Berth/);
  });

  it('validates the built objects and positions problems in the base, naming the kustomization', () => {
    const files = repo('resources: [../base]\nnamePrefix: prod-\n').map((f) =>
      f.path === 'base/deployment.yaml'
        ? file(f.path, DEPLOYMENT.replace('image: nginx:1.25', 'image: ""'))
        : f,
    );
    const result = validateRevision(
      files.filter((f) => f.path.startsWith('prod/') || f.path.startsWith('base/')).map((f) => f),
      {},
    );
    // The source root here holds base/ and prod/ but no kustomization: nothing is built.
    expect(result.valid).toBe(false);
    const built = validateRevision(
      [...files, file('kustomization.yaml', 'resources: [prod]\n')],
      {},
    );
    const problem = built.problems.find((p) => p.path.includes('image'));
    expect(problem).toMatchObject({ file: 'base/deployment.yaml', line: 14, name: 'prod-web' });
    expect(problem?.message).toContain('(from kustomization base/kustomization.yaml)');
  });
});

describe('berth render', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tree = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-render-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, '.git'));
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), text);
    }
    return dir;
  };

  it('prints the build of an overlay whose base lives beside it, in legacy or input order', async () => {
    const dir = tree({
      'base/kustomization.yaml': 'resources: [deployment.yaml, svc.yaml]\n',
      'base/deployment.yaml': DEPLOYMENT,
      'base/svc.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n',
      'prod/kustomization.yaml': 'resources: [../base]\nnamespace: prod\n',
    });
    const legacy = await runCli(['render', 'prod'], { cwd: dir });
    expect(legacy.code).toBe(0);
    expect(legacy.stdout.split('---\n').map((d) => /kind: (\w+)/.exec(d)?.[1])).toEqual([
      'Service',
      'Deployment',
    ]);
    const none = await runCli(['render', path.join(dir, 'prod'), '--reorder', 'none']);
    expect(none.stdout.split('---\n').map((d) => /kind: (\w+)/.exec(d)?.[1])).toEqual([
      'Deployment',
      'Service',
    ]);
    expect(none.stdout).toContain('  namespace: prod\n');
  });

  it('berth validate DIR builds an overlay over the base beside it, naming files as given', async () => {
    const dir = tree({
      'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'base/deployment.yaml': DEPLOYMENT.replace('image: nginx:1.25', 'image: ""'),
      'overlays/prod/kustomization.yaml': 'resources: [../../base]\nnamePrefix: prod-\n',
      'overlays/out/kustomization.yaml': 'resources: [../../../elsewhere]\n',
    });
    const prod = await runCli(['validate', 'overlays/prod', '-o', 'json'], { cwd: dir });
    const report = JSON.parse(prod.stdout) as { problems: Array<{ file: string; name: string }> };
    expect(report.problems.length).toBeGreaterThan(0);
    for (const p of report.problems) expect(p).toMatchObject({ file: 'base/deployment.yaml' });
    expect(report.problems.some((p) => p.name === 'prod-web')).toBe(true);
    const out = await runCli(['validate', 'overlays/out'], { cwd: dir });
    expect(out.code).toBe(1);
    expect(out.stdout).toContain('overlays/out/kustomization.yaml');
    expect(out.stdout).toContain('outside the repository');
  });

  it('exits 1 with the message on a build error and 2 on a bad --reorder', async () => {
    const dir = tree({ 'kustomization.yaml': 'resources:\n- nope.yaml\n' });
    const failed = await runCli(['render'], { cwd: dir });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(
      /^berth render: accumulating resources: 'nope.yaml' doesn't exist \(kustomization.yaml:2:3\)/,
    );
    expect((await runCli(['render', '--reorder', 'random'], { cwd: dir })).code).toBe(2);
  });
});
