import { ConfigError } from '../config/config-error.js';

/** A kind `berth get` and `berth describe` know, with kubectl's names for it. */
export interface ResourceKind {
  kind: string;
  apiVersion: string;
  /** The plural resource name: `deployments`. */
  plural: string;
  /** kubectl's short names: `deploy`. */
  short: readonly string[];
  namespaced: boolean;
}

/** kubectl's resource names of the kinds the object store holds. */
export const RESOURCE_KINDS: readonly ResourceKind[] = [
  { kind: 'Pod', apiVersion: 'v1', plural: 'pods', short: ['po'], namespaced: true },
  { kind: 'Service', apiVersion: 'v1', plural: 'services', short: ['svc'], namespaced: true },
  { kind: 'Endpoints', apiVersion: 'v1', plural: 'endpoints', short: ['ep'], namespaced: true },
  { kind: 'ConfigMap', apiVersion: 'v1', plural: 'configmaps', short: ['cm'], namespaced: true },
  { kind: 'Secret', apiVersion: 'v1', plural: 'secrets', short: [], namespaced: true },
  { kind: 'Namespace', apiVersion: 'v1', plural: 'namespaces', short: ['ns'], namespaced: false },
  {
    kind: 'PersistentVolumeClaim',
    apiVersion: 'v1',
    plural: 'persistentvolumeclaims',
    short: ['pvc'],
    namespaced: true,
  },
  {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    plural: 'deployments',
    short: ['deploy'],
    namespaced: true,
  },
  {
    kind: 'ReplicaSet',
    apiVersion: 'apps/v1',
    plural: 'replicasets',
    short: ['rs'],
    namespaced: true,
  },
  {
    kind: 'StatefulSet',
    apiVersion: 'apps/v1',
    plural: 'statefulsets',
    short: ['sts'],
    namespaced: true,
  },
  {
    kind: 'DaemonSet',
    apiVersion: 'apps/v1',
    plural: 'daemonsets',
    short: ['ds'],
    namespaced: true,
  },
  { kind: 'Job', apiVersion: 'batch/v1', plural: 'jobs', short: [], namespaced: true },
  { kind: 'CronJob', apiVersion: 'batch/v1', plural: 'cronjobs', short: ['cj'], namespaced: true },
  {
    kind: 'Ingress',
    apiVersion: 'networking.k8s.io/v1',
    plural: 'ingresses',
    short: ['ing'],
    namespaced: true,
  },
];

/** What `get all` lists, in kubectl's order. */
const ALL = [
  'pods',
  'services',
  'daemonsets',
  'deployments',
  'replicasets',
  'statefulsets',
  'jobs',
  'cronjobs',
];

/**
 * The kinds of a `get` argument: comma-separated resource names (see {@link resolveKind}), and
 * `all` for kubectl's category (pods, services, daemonsets, deployments, replicasets,
 * statefulsets, jobs, cronjobs).
 */
export function resolveKinds(arg: string): ResourceKind[] {
  const names = arg.split(',').flatMap((n) => (n.toLowerCase() === 'all' ? ALL : [n]));
  return [...new Set(names.map(resolveKind))];
}

/**
 * The kind a kubectl resource name means: plural, singular, short name, Kind, or any of them
 * with its group (`deployments.apps`), case-insensitive. An unknown name is a ConfigError
 * (exit 2) in kubectl's words.
 */
export function resolveKind(name: string): ResourceKind {
  const wanted = name.toLowerCase();
  for (const r of RESOURCE_KINDS) {
    const group = groupOf(r);
    const names = [r.plural, r.kind.toLowerCase(), ...r.short];
    if (names.some((n) => n === wanted || (group !== '' && `${n}.${group}` === wanted))) return r;
  }
  throw new ConfigError(
    `the server doesn't have a resource type "${name}" (kinds: ${RESOURCE_KINDS.map((r) => r.plural).join(', ')})`,
  );
}

/** The API group of a kind: `apps` for `apps/v1`, `''` for the core `v1`. */
export function groupOf(r: Pick<ResourceKind, 'apiVersion'>): string {
  const slash = r.apiVersion.indexOf('/');
  return slash < 0 ? '' : r.apiVersion.slice(0, slash);
}

/** How kubectl names the resource in messages: `deployments.apps`, `pods`. */
export function qualifiedPlural(r: ResourceKind): string {
  const group = groupOf(r);
  return group ? `${r.plural}.${group}` : r.plural;
}

/** `-o name`: `deployment.apps/web`, `pod/web-1`. */
export function objectName(r: ResourceKind, name: string): string {
  const group = groupOf(r);
  return `${r.kind.toLowerCase()}${group ? `.${group}` : ''}/${name}`;
}
