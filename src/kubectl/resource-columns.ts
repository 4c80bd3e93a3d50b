// kubectl's table columns of every kind `berth get` prints, in one file because it is one
// table (as kubectl's printers.go): a kind's header and how a row is made from an object.

import type { LabelSelector } from '../manifests/generated/k8s-objects.js';
import type { StoredObject } from '../store/index.js';
import { ageOf, humanDuration } from './human-duration.js';
import { formatSelector } from './parse-selector.js';
import { podSummary } from './pod-columns.js';

/** The columns of one kind: the header and the cells of an object, default and `-o wide`. */
export interface KindColumns {
  header: readonly string[];
  /** Columns `-o wide` appends. */
  wide: readonly string[];
  row(o: StoredObject, now: Date): { cells: string[]; wide: string[] };
}

// Loose views of object bodies: the store holds them as Kubernetes wrote them.
// biome-ignore lint/suspicious/noExplicitAny: object bodies are untyped JSON here
type Any = Record<string, any>;

const NONE = '<none>';
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const spec = (o: StoredObject): Any => (o.spec ?? {}) as Any;
const status = (o: StoredObject): Any => (o.status ?? {}) as Any;
const age = (o: StoredObject, now: Date) => ageOf(o.metadata.creationTimestamp, now);

function podTemplateColumns(o: StoredObject): string[] {
  const containers = (spec(o).template?.spec?.containers ?? []) as Any[];
  return [
    containers.map((c) => c.name).join(',') || NONE,
    containers.map((c) => c.image).join(',') || NONE,
  ];
}

function selectorOf(o: StoredObject): string {
  return formatSelector(spec(o).selector as LabelSelector | undefined);
}

// Berth keeps the allocated ClusterIP and NodePorts in status (the object from Git stays as
// written); kubectl shows them from spec. Status first, then spec.
function servicePorts(o: StoredObject): string {
  const allocated = status(o).ports as Any[] | undefined;
  const ports = (allocated ?? spec(o).ports ?? []) as Any[];
  if (ports.length === 0) return NONE;
  return ports
    .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`)
    .join(',');
}

function externalIP(o: StoredObject): string {
  const s = spec(o);
  const external = (s.externalIPs ?? []) as string[];
  const type = s.type ?? 'ClusterIP';
  if (type === 'ExternalName') return s.externalName ?? NONE;
  if (type === 'LoadBalancer') {
    const ingress = ((status(o).loadBalancer?.ingress ?? []) as Any[]).map(
      (i) => i.ip ?? i.hostname,
    );
    const all = [...ingress, ...external];
    return all.length > 0 ? all.join(',') : '<pending>';
  }
  return external.length > 0 ? external.join(',') : NONE;
}

function endpointsText(o: StoredObject): string {
  const list: string[] = [];
  for (const subset of ((o as Any).subsets ?? []) as Any[]) {
    const ports = (subset.ports ?? []) as Any[];
    for (const a of (subset.addresses ?? []) as Any[]) {
      if (ports.length === 0) list.push(a.ip);
      for (const p of ports) list.push(`${a.ip}:${p.port}`);
    }
  }
  if (list.length === 0) return NONE;
  return list.length > 3
    ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...`
    : list.join(',');
}

function dataCount(o: StoredObject): string {
  const body = o as Any;
  const keys = new Set([
    ...Object.keys(body.data ?? {}),
    ...Object.keys(body.binaryData ?? {}),
    ...Object.keys(body.stringData ?? {}),
  ]);
  return String(keys.size);
}

function jobStatus(o: StoredObject): string {
  const conditions = (status(o).conditions ?? []) as Any[];
  const isTrue = (t: string) => conditions.some((c) => c.type === t && c.status === 'True');
  if (isTrue('Complete')) return 'Complete';
  if (isTrue('Failed')) return 'Failed';
  if (spec(o).suspend) return 'Suspended';
  return 'Running';
}

function jobDuration(o: StoredObject, now: Date): string {
  const s = status(o);
  if (!s.startTime) return '';
  const end = s.completionTime ? Date.parse(s.completionTime) : now.getTime();
  return humanDuration(end - Date.parse(s.startTime));
}

/** The columns of each kind, by Kind. */
export const COLUMNS: Readonly<Record<string, KindColumns>> = {
  Deployment: {
    header: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => ({
      cells: [
        o.metadata.name,
        `${num(status(o).readyReplicas)}/${spec(o).replicas ?? 1}`,
        String(num(status(o).updatedReplicas)),
        String(num(status(o).availableReplicas)),
        age(o, now),
      ],
      wide: [...podTemplateColumns(o), selectorOf(o)],
    }),
  },
  ReplicaSet: {
    header: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => ({
      cells: [
        o.metadata.name,
        String(spec(o).replicas ?? 1),
        String(num(status(o).replicas)),
        String(num(status(o).readyReplicas)),
        age(o, now),
      ],
      wide: [...podTemplateColumns(o), selectorOf(o)],
    }),
  },
  StatefulSet: {
    header: ['NAME', 'READY', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES'],
    row: (o, now) => ({
      cells: [
        o.metadata.name,
        `${num(status(o).readyReplicas)}/${spec(o).replicas ?? 1}`,
        age(o, now),
      ],
      wide: podTemplateColumns(o),
    }),
  },
  DaemonSet: {
    header: [
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'NODE SELECTOR',
      'AGE',
    ],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => {
      const s = status(o);
      const nodeSelector = Object.entries((spec(o).template?.spec?.nodeSelector ?? {}) as Any)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return {
        cells: [
          o.metadata.name,
          String(num(s.desiredNumberScheduled)),
          String(num(s.currentNumberScheduled)),
          String(num(s.numberReady)),
          String(num(s.updatedNumberScheduled)),
          String(num(s.numberAvailable)),
          nodeSelector || NONE,
          age(o, now),
        ],
        wide: [...podTemplateColumns(o), selectorOf(o)],
      };
    },
  },
  Pod: {
    header: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
    wide: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
    row: (o, now) => {
      const p = podSummary(o, now);
      const s = status(o);
      return {
        cells: [o.metadata.name, p.ready, p.status, p.restarts, age(o, now)],
        wide: [s.podIP ?? NONE, spec(o).nodeName ?? s.hostIP ?? NONE, NONE, NONE],
      };
    },
  },
  Service: {
    header: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wide: ['SELECTOR'],
    row: (o, now) => {
      const s = spec(o);
      const selector = Object.entries((s.selector ?? {}) as Any).map(([k, v]) => `${k}=${v}`);
      return {
        cells: [
          o.metadata.name,
          s.type ?? 'ClusterIP',
          status(o).clusterIP ?? s.clusterIP ?? NONE,
          externalIP(o),
          servicePorts(o),
          age(o, now),
        ],
        wide: [selector.join(',') || NONE],
      };
    },
  },
  Endpoints: {
    header: ['NAME', 'ENDPOINTS', 'AGE'],
    wide: [],
    row: (o, now) => ({ cells: [o.metadata.name, endpointsText(o), age(o, now)], wide: [] }),
  },
  ConfigMap: {
    header: ['NAME', 'DATA', 'AGE'],
    wide: [],
    row: (o, now) => ({ cells: [o.metadata.name, dataCount(o), age(o, now)], wide: [] }),
  },
  Secret: {
    header: ['NAME', 'TYPE', 'DATA', 'AGE'],
    wide: [],
    row: (o, now) => ({
      cells: [o.metadata.name, String((o as Any).type ?? 'Opaque'), dataCount(o), age(o, now)],
      wide: [],
    }),
  },
  Namespace: {
    header: ['NAME', 'STATUS', 'AGE'],
    wide: [],
    row: (o, now) => ({
      cells: [o.metadata.name, status(o).phase ?? 'Active', age(o, now)],
      wide: [],
    }),
  },
  PersistentVolumeClaim: {
    header: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'AGE'],
    wide: ['VOLUMEMODE'],
    row: (o, now) => {
      const s = status(o);
      const modes = ((s.accessModes ?? spec(o).accessModes ?? []) as string[]).map(
        (m) =>
          ({
            ReadWriteOnce: 'RWO',
            ReadOnlyMany: 'ROX',
            ReadWriteMany: 'RWX',
            ReadWriteOncePod: 'RWOP',
          })[m] ?? m,
      );
      return {
        cells: [
          o.metadata.name,
          s.phase ?? 'Pending',
          spec(o).volumeName ?? '',
          s.capacity?.storage ?? '',
          modes.join(','),
          spec(o).storageClassName ?? NONE,
          age(o, now),
        ],
        wide: [spec(o).volumeMode ?? 'Filesystem'],
      };
    },
  },
  Job: {
    header: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => ({
      cells: [
        o.metadata.name,
        jobStatus(o),
        `${num(status(o).succeeded)}/${spec(o).completions ?? 1}`,
        jobDuration(o, now),
        age(o, now),
      ],
      wide: [...podTemplateColumns(o), selectorOf(o)],
    }),
  },
  CronJob: {
    header: ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
    wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (o, now) => {
      const s = spec(o);
      const template = { spec: s.jobTemplate?.spec ?? {} } as unknown as StoredObject;
      return {
        cells: [
          o.metadata.name,
          s.schedule ?? '',
          s.timeZone ?? NONE,
          s.suspend ? 'True' : 'False',
          String(((status(o).active ?? []) as unknown[]).length),
          status(o).lastScheduleTime ? ageOf(status(o).lastScheduleTime, now) : NONE,
          age(o, now),
        ],
        wide: [...podTemplateColumns(template), selectorOf(template)],
      };
    },
  },
  Ingress: {
    header: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
    wide: [],
    row: (o, now) => {
      const s = spec(o);
      const rules = (s.rules ?? []) as Any[];
      const hosts = rules.map((r) => r.host).filter(Boolean);
      const address = ((status(o).loadBalancer?.ingress ?? []) as Any[])
        .map((i) => i.ip ?? i.hostname)
        .join(',');
      return {
        cells: [
          o.metadata.name,
          s.ingressClassName ?? NONE,
          hosts.length > 0 ? hosts.join(',') : '*',
          address,
          (s.tls ?? []).length > 0 ? '80, 443' : '80',
          age(o, now),
        ],
        wide: [],
      };
    },
  },
};
