import { stringify } from 'yaml';

// YAML of the workloads the integration tests deploy, built from a few options instead of
// written out in each test. Every pod runs `berth.local/busybox:1` (scripts/setup-host builds
// it), stops within a second, and by default serves `/www` on 8080 with a readiness probe.

/** The image of every test workload. */
export const TEST_IMAGE = 'berth.local/busybox:1';

/** Options of {@link deploymentYaml} and {@link statefulSetYaml}. */
export interface WorkloadOptions {
  /** Name, the `app` label and the selector. Default `web`. */
  name?: string;
  /** Default: none (the source's default namespace). */
  namespace?: string;
  replicas: number;
  annotations?: Record<string, string>;
  /** Shell command of the container. Default {@link serveText} of `$VERSION`. */
  script?: string;
  /** Environment of the container (in this order). */
  env?: Array<Record<string, unknown>>;
  /** Readiness probe. Default a TCP check of 8080 every second; `null` for none. */
  readinessProbe?: Record<string, unknown> | null;
  /** More fields of the container (ports, volumeMounts...). */
  container?: Record<string, unknown>;
  /** More fields of the workload's spec (strategy, serviceName, volumeClaimTemplates...). */
  spec?: Record<string, unknown>;
}

/** A shell command that writes `text` (shell-expanded) to /www/index.html and serves it on 8080. */
export function serveText(text: string): string {
  return `mkdir -p /www && echo ${text} > /www/index.html && exec httpd -f -p 8080 -h /www`;
}

function workload(kind: 'Deployment' | 'StatefulSet', o: WorkloadOptions): string {
  const name = o.name ?? 'web';
  const container = {
    name: 'web',
    image: TEST_IMAGE,
    command: ['sh', '-c', o.script ?? serveText('"$VERSION"')],
    ...(o.env ? { env: o.env } : {}),
    ...(o.readinessProbe === null
      ? {}
      : { readinessProbe: o.readinessProbe ?? { tcpSocket: { port: 8080 }, periodSeconds: 1 } }),
    ...o.container,
  };
  return stringify({
    apiVersion: 'apps/v1',
    kind,
    metadata: {
      name,
      ...(o.namespace ? { namespace: o.namespace } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
    },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: { app: name } },
      ...o.spec,
      template: {
        metadata: { labels: { app: name } },
        spec: { terminationGracePeriodSeconds: 1, containers: [container] },
      },
    },
  });
}

/** The YAML of a Deployment of {@link TEST_IMAGE} pods. */
export function deploymentYaml(options: WorkloadOptions): string {
  return workload('Deployment', options);
}

/** The YAML of a StatefulSet of {@link TEST_IMAGE} pods (give `spec.serviceName`). */
export function statefulSetYaml(options: WorkloadOptions): string {
  return workload('StatefulSet', options);
}
