// Benchmark: build a 200-object Kustomize overlay (a base of 50 apps — Deployment, Service,
// ConfigMap generator, patch — and 3 overlays each adding a namespace, prefix, labels,
// generators, strategic merge and JSON patches, images and replicas), then the kustomize
// conformance corpus. The baseline, measured in the same run, parses the same objects' YAML
// with the yaml library alone. Target: < 50 ms warm for 200 objects.
//   npm run bench:kustomize

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { formatResources, renderKustomization } from '../src/manifests/render/index.js';
import type { SourceFile } from '../src/source/index.js';
import {
  fixtures,
  kustomizeCorpus,
  runFixture,
} from '../test/unit/manifests/render/kustomize-corpus.js';

const APPS = 22;
const ROUNDS = 10;
const enc = new TextEncoder();
const file = (p: string, text: string): SourceFile => ({
  path: p,
  content: enc.encode(text),
  mode: 'file',
});

function repo(): SourceFile[] {
  const files: SourceFile[] = [];
  const resources: string[] = [];
  for (let i = 0; i < APPS; i++) {
    files.push(
      file(
        `base/app-${i}.yaml`,
        `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  replicas: 1
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      containers:
      - name: main
        image: registry.local/app-${i}:1.0
        envFrom:
        - configMapRef: {name: settings-${i}}
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: app-${i}
spec:
  selector: {app: app-${i}}
  ports:
  - port: 80
    targetPort: 8080
`,
      ),
    );
    resources.push(`- app-${i}.yaml`);
  }
  const generators = Array.from(
    { length: APPS },
    (_, i) => `- name: settings-${i}\n  literals: [INDEX=${i}, MODE=base]`,
  ).join('\n');
  files.push(
    file(
      'base/kustomization.yaml',
      `resources:\n${resources.join('\n')}\nconfigMapGenerator:\n${generators}\ncommonLabels: {team: web}\n`,
    ),
  );
  for (const env of ['dev', 'staging', 'prod']) {
    const merges = Array.from(
      { length: APPS },
      (_, i) => `- name: settings-${i}\n  behavior: merge\n  literals: [MODE=${env}]`,
    ).join('\n');
    files.push(
      file(
        `${env}/kustomization.yaml`,
        `resources: [../base]
namespace: ${env}
namePrefix: ${env}-
commonLabels: {env: ${env}}
commonAnnotations: {owner: platform}
configMapGenerator:
${merges}
patchesStrategicMerge: [resources.yaml]
patches:
- target: {kind: Deployment}
  patch: |
    - op: add
      path: /spec/template/spec/containers/0/env
      value: [{name: ENV, value: ${env}}]
images:
- name: registry.local/app-0
  newTag: "2.0"
replicas:
- name: app-1
  count: 3
`,
      ),
    );
    files.push(
      file(
        `${env}/resources.yaml`,
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-0\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        resources: {limits: {memory: 128Mi}}\n`,
      ),
    );
  }
  files.push(file('kustomization.yaml', 'resources: [dev, staging, prod]\n'));
  return files;
}

function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const files = repo();
let objects = 0;
const cold = timed(() => {
  objects = renderKustomization(files, '').length;
});
const yamlTexts: string[] = [];
for (const r of renderKustomization(files, '', { reorder: 'none' }))
  yamlTexts.push(formatResources([r]));
let build = Number.POSITIVE_INFINITY;
let baseline = Number.POSITIVE_INFINITY;
for (let round = 0; round < ROUNDS; round++) {
  baseline = Math.min(
    baseline,
    timed(() => {
      for (const text of yamlTexts) parseAllDocuments(text);
    }),
  );
  build = Math.min(
    build,
    timed(() => {
      renderKustomization(files, '');
    }),
  );
}
console.log(`overlay: ${objects} objects (base + 3 overlays, generators, patches)`);
console.log(`  build cold ${cold.toFixed(1)} ms, warm ${build.toFixed(1)} ms (target < 50 ms)`);
console.log(
  `  baseline (yaml parse of the same ${objects} objects) ${baseline.toFixed(1)} ms; ratio ${(build / baseline).toFixed(2)}x`,
);

const corpus = kustomizeCorpus();
if (corpus) {
  const all = fixtures(corpus);
  let passed = 0;
  const corpusMs = await (async () => {
    const start = performance.now();
    for (const f of all) if ((await runFixture(corpus, f)).ok) passed++;
    return performance.now() - start;
  })();
  console.log(
    `corpus: ${all.length} fixtures (${passed} pass) in ${corpusMs.toFixed(0)} ms, ${(corpusMs / all.length).toFixed(1)} ms per fixture (reading files included) — ${path.basename(corpus)}`,
  );
}
