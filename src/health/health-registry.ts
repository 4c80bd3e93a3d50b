import { cronJobHealth } from './health-cronjob.js';
import { daemonSetHealth } from './health-daemonset.js';
import { deploymentHealth } from './health-deployment.js';
import { jobHealth } from './health-job.js';
import { podHealth } from './health-pod.js';
import { pvcHealth } from './health-pvc.js';
import { replicaSetHealth } from './health-replicaset.js';
import { type EndpointsLike, serviceHealth } from './health-service.js';
import { statefulSetHealth } from './health-statefulset.js';
import type { Health } from './health-status.js';

/** An object as read back from the live state: Kubernetes-shaped, with its status. */
export interface LiveObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; generation?: number };
  spec?: unknown;
  status?: unknown;
}

/** What a rule may need besides the object itself. */
export interface HealthContext {
  /** The Endpoints of a Service (same namespace and name). */
  endpoints?: EndpointsLike;
}

type Rule = (obj: never, ctx: HealthContext) => Health;

/** One rule per `apiVersion/kind`; kinds without a rule are Healthy once they exist. */
const RULES: Record<string, Rule> = {
  'apps/v1/Deployment': deploymentHealth,
  'apps/v1/ReplicaSet': replicaSetHealth,
  'apps/v1/StatefulSet': statefulSetHealth,
  'apps/v1/DaemonSet': daemonSetHealth,
  'v1/Pod': podHealth,
  'v1/Service': (svc, ctx) => serviceHealth(svc, ctx.endpoints),
  'v1/PersistentVolumeClaim': pvcHealth,
  'batch/v1/Job': jobHealth,
  'batch/v1/CronJob': cronJobHealth,
};

/**
 * The health of one object: `undefined` (desired but not found live) is Missing; a kind with a
 * rule is judged by it; any other kind (ConfigMap, Secret, Namespace, Ingress) is Healthy.
 */
export function objectHealth(obj: LiveObject | undefined, ctx: HealthContext = {}): Health {
  if (obj === undefined)
    return { status: 'Missing', reason: 'NotFound', message: 'the object does not exist yet' };
  const rule = RULES[`${obj.apiVersion}/${obj.kind}`];
  return rule ? rule(obj as never, ctx) : { status: 'Healthy', reason: 'Exists' };
}

/** Whether Berth has a health rule of its own for this kind. */
export function hasHealthRule(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in RULES;
}
