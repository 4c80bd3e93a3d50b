// Benchmark: validate a generated 1,000-object repository (250 apps: ConfigMap, Secret,
// Deployment, Service, one file each) and compare with parsing the same files with the yaml
// library alone (the baseline, measured in the same run). Target: >= 5,000 objects/s.
//   npm run bench:validate
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { validateRevision } from '../src/manifests/index.js';
import type { SourceFile } from '../src/source/index.js';

const APPS = 250;
const ROUNDS = 5;

function app(i: number): Record<string, string> {
  const name = `app-${i}`;
  return {
    [`${name}/configmap.yaml`]: `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: bench
  labels: {app.kubernetes.io/name: ${name}}
data:
  MODE: production
  index.html: "<h1>${name}</h1>"
`,
    [`${name}/secret.yaml`]: `apiVersion: v1
kind: Secret
metadata: {name: ${name}, namespace: bench}
type: Opaque
data:
  token: c2VjcmV0LXRva2Vu
`,
    [`${name}/deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: bench
  labels: {app.kubernetes.io/name: ${name}}
spec:
  replicas: 2
  selector:
    matchLabels: {app.kubernetes.io/name: ${name}}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
  template:
    metadata:
      labels: {app.kubernetes.io/name: ${name}}
    spec:
      containers:
        - name: web
          image: berth.local/example-web:1
          ports: [{name: http, containerPort: 8080}]
          env:
            - name: MODE
              valueFrom: {configMapKeyRef: {name: ${name}, key: MODE}}
            - name: TOKEN
              valueFrom: {secretKeyRef: {name: ${name}, key: token}}
          readinessProbe:
            httpGet: {path: /healthz, port: http}
            periodSeconds: 2
          resources:
            requests: {cpu: 50m, memory: 16Mi}
            limits: {cpu: 200m, memory: 32Mi}
          volumeMounts:
            - {name: content, mountPath: /etc/web, readOnly: true}
      volumes:
        - name: content
          configMap: {name: ${name}}
`,
    [`${name}/service.yaml`]: `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: bench}
spec:
  selector: {app.kubernetes.io/name: ${name}}
  ports: [{name: http, port: 80, targetPort: http}]
`,
  };
}

const enc = new TextEncoder();
const files: SourceFile[] = [
  {
    path: 'namespace.yaml',
    content: enc.encode('apiVersion: v1\nkind: Namespace\nmetadata: {name: bench}\n'),
    mode: 'file',
  },
];
for (let i = 0; i < APPS; i++) {
  for (const [path, text] of Object.entries(app(i)))
    files.push({ path, content: enc.encode(text), mode: 'file' });
}
const objects = APPS * 4 + 1;

function baseline(): number {
  let n = 0;
  for (const f of files) {
    for (const doc of parseAllDocuments(new TextDecoder().decode(f.content))) {
      if (doc.toJS()) n++;
    }
  }
  return n;
}

function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
}

const cold = timed(() => {
  const r = validateRevision(files);
  if (!r.valid || r.objects !== objects)
    throw new Error(`benchmark repository is not valid: ${JSON.stringify(r.problems.slice(0, 3))}`);
});
let berth = Number.POSITIVE_INFINITY;
let parse = Number.POSITIVE_INFINITY;
for (let round = 0; round < ROUNDS; round++) {
  parse = Math.min(
    parse,
    timed(() => baseline()),
  );
  berth = Math.min(
    berth,
    timed(() => validateRevision(files)),
  );
}
// The same files forced through the positioned path (an `&` makes the loader assume anchors).
const slowFiles = files.map((f) => ({
  ...f,
  content: enc.encode(`# &positioned\n${new TextDecoder().decode(f.content)}`),
}));
let slow = Number.POSITIVE_INFINITY;
for (let round = 0; round < ROUNDS; round++)
  slow = Math.min(
    slow,
    timed(() => validateRevision(slowFiles)),
  );
const rate = objects / berth;
console.log(`objects: ${objects} in ${files.length} files`);
console.log(
  `yaml parse only (baseline): ${(parse * 1000).toFixed(1)} ms, ${Math.round(objects / parse)} objects/s`,
);
console.log(
  `berth validate (warm, best of ${ROUNDS}): ${(berth * 1000).toFixed(1)} ms, ${Math.round(rate)} objects/s`,
);
console.log(
  `berth validate, positioned path only (files with anchors): ${(slow * 1000).toFixed(1)} ms, ${Math.round(objects / slow)} objects/s`,
);
console.log(
  `berth validate (cold, first run incl. schema compile): ${(cold * 1000).toFixed(1)} ms, ${Math.round(objects / cold)} objects/s`,
);
console.log(
  `ratio berth/parse time: ${(berth / parse).toFixed(2)}x; target >= 5000 objects/s: ${rate >= 5000 ? 'met' : 'NOT met'}`,
);
