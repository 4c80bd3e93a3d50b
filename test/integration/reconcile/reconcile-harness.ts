import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import type { Redis } from 'ioredis';
import { isPreviousName } from '../../../src/node/index.js';
import {
  type ObjectStore,
  RedisObjectStore,
  SourceStateStore,
  type StoredObject,
} from '../../../src/store/index.js';
import { eventually, WAIT } from '../../harness/eventually.js';
import { deploymentYaml } from '../../harness/workloads.js';

/** A Deployment of busybox httpd pods that answer on 8080 once started. */
export function webDeployment(options: {
  name?: string;
  replicas: number;
  /** Any text: changing it changes the pod template (a new rollout). */
  version: string;
  maxSurge?: number | string;
  maxUnavailable?: number | string;
  /** Port the readiness probe asks: not 8080 makes the pods never ready. */
  probePort?: number;
  progressDeadlineSeconds?: number;
  annotations?: Record<string, string>;
  configMap?: string;
}): string {
  const name = options.name ?? 'web';
  return deploymentYaml({
    name,
    replicas: options.replicas,
    ...(options.annotations ? { annotations: options.annotations } : {}),
    env: [
      { name: 'VERSION', value: options.version },
      ...(options.configMap
        ? [
            {
              name: 'GREETING',
              valueFrom: { configMapKeyRef: { name: options.configMap, key: 'greeting' } },
            },
          ]
        : []),
    ],
    readinessProbe: { tcpSocket: { port: options.probePort ?? 8080 }, periodSeconds: 1 },
    spec: {
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: {
          maxSurge: options.maxSurge ?? 1,
          maxUnavailable: options.maxUnavailable ?? 0,
        },
      },
      ...(options.progressDeadlineSeconds
        ? { progressDeadlineSeconds: options.progressDeadlineSeconds }
        : {}),
    },
  });
}

/** A berth.yaml for one local source at `repo`, with the test's Redis prefix. */
export function writeConfig(dir: string, prefix: string, repo: string, extra = ''): string {
  const file = path.join(dir, 'berth.yaml');
  writeFileSync(
    file,
    `apiVersion: berth.dev/v1alpha1\nkind: BerthConfig\nredis: {keyPrefix: "${prefix}"}\nsources:\n  - {name: shop, repo: ${repo}${extra}}\n`,
  );
  return file;
}

/** Reads what Berth reports: pods and objects in its store, the source's state. */
export class Observer {
  readonly store: ObjectStore;
  readonly states: SourceStateStore;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly docker: Docker,
    private readonly instance: string,
  ) {
    this.store = new RedisObjectStore(redis, prefix);
    this.states = new SourceStateStore(redis, prefix);
  }

  /**
   * Pods of a Deployment (label app=<name>) in the store, with whether each is ready. Pods
   * being deleted (Terminating: their node still stops them) are left out unless
   * `terminating` is true: they no longer count as the Deployment's pods.
   */
  async pods(
    app: string,
    options: { terminating?: boolean } = {},
  ): Promise<Array<{ name: string; ready: boolean; pod: StoredObject }>> {
    const pods = await this.store.list('Pod', 'default');
    return pods
      .filter((p) => p.metadata.labels?.app === app)
      .filter((p) => options.terminating || p.metadata.deletionTimestamp === undefined)
      .map((p) => ({
        name: p.metadata.name,
        ready:
          (
            p.status as { conditions?: Array<{ type: string; status: string }> } | undefined
          )?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
        pod: p,
      }));
  }

  /**
   * {@link eventually} with what is awaited named first: `until('the revert', check, ms)`.
   * The default deadline is Docker's, since what these tests wait for runs in containers.
   */
  until<T>(what: string, check: () => Promise<T>, timeoutMs: number = WAIT.dockerTimeoutMs) {
    return eventually(check, { what, timeout: timeoutMs });
  }

  /**
   * Names of the pods Docker runs for this instance, sorted: one per container that holds a pod
   * (`io.berth.pod-spec`: its sandbox, or the one container of a pod without one; a kept
   * `_previous` instance is not counted).
   */
  async dockerPods(running = true): Promise<string[]> {
    const list = await this.docker.listContainers({
      all: !running,
      filters: JSON.stringify({
        label: [`io.berth.instance=${this.instance}`, 'io.berth.pod-spec'],
      }),
    });
    return list
      .filter((c) => !c.Names.some(isPreviousName))
      .map((c) => c.Labels['io.berth.pod'] ?? '')
      .sort();
  }

  /** Waits until the source has applied `revision` and reports it Synced with the given health. */
  async settled(
    revision: string,
    health: 'Healthy' | 'Degraded' = 'Healthy',
    timeoutMs: number = WAIT.dockerTimeoutMs,
  ) {
    return eventually(
      async () => {
        const s = await this.states.get('shop');
        return s?.applied === revision && s.sync === 'Synced' && s.health === health && s;
      },
      { what: `revision ${revision.slice(0, 7)} ${health}`, timeout: timeoutMs },
    );
  }
}
