// A generated repository of `apps` applications (ConfigMap, Secret, Deployment with probes,
// env and volumes, Service; one file each) plus their Namespace: 4 * apps + 1 objects. Shared by
// the benchmarks that need a realistic revision of a given size.
import type { SourceFile } from '../src/source/index.js';

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

/** The files of the generated repository, as the source layer hands them over. */
export function generateRepo(apps: number): SourceFile[] {
  const enc = new TextEncoder();
  const files: SourceFile[] = [
    {
      path: 'namespace.yaml',
      content: enc.encode('apiVersion: v1\nkind: Namespace\nmetadata: {name: bench}\n'),
      mode: 'file',
    },
  ];
  for (let i = 0; i < apps; i++) {
    for (const [path, text] of Object.entries(app(i)))
      files.push({ path, content: enc.encode(text), mode: 'file' });
  }
  return files;
}
