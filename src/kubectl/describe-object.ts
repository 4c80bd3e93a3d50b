import { podTemplateNode } from '../manifests/pod-template.js';
import type { ObjectStore, StoredEvent, StoredObject } from '../store/index.js';
import { objectKey } from '../util/object-key.js';
import { describeContainers, describeVolumes } from './describe-pod-template.js';
import { DescribeWriter, describeTime } from './describe-writer.js';
import { ageOf } from './human-duration.js';
import { formatSelector } from './parse-selector.js';

// biome-ignore lint/suspicious/noExplicitAny: object bodies are untyped JSON here
type Any = Record<string, any>;

/** What a description reads beside the object: the store (children, endpoints) and its events. */
export interface DescribeInput {
  object: StoredObject;
  store: ObjectStore;
  events: readonly StoredEvent[];
  now: Date;
}

const REVISION = 'deployment.kubernetes.io/revision';

/**
 * An object as `kubectl describe` prints it: metadata, the fields of its kind (Deployment,
 * ReplicaSet, Pod, Service, ConfigMap, Secret; the others their metadata, template and
 * status), then its events. A Secret's values are never printed: its keys with their sizes.
 */
export async function describeObject(input: DescribeInput): Promise<string> {
  const { object: o } = input;
  const w = new DescribeWriter();
  switch (o.kind) {
    case 'Deployment':
      await deployment(w, input);
      break;
    case 'ReplicaSet':
      await replicaSet(w, input);
      break;
    case 'Pod':
      pod(w, o, input.now);
      break;
    case 'Service':
      await service(w, input);
      break;
    case 'ConfigMap':
      configMap(w, o);
      break;
    case 'Secret':
      secret(w, o);
      break;
    default:
      generic(w, o);
  }
  w.events(input.events, input.now);
  return w.toString();
}

const spec = (o: StoredObject): Any => (o.spec ?? {}) as Any;
const status = (o: StoredObject): Any => (o.status ?? {}) as Any;

function meta(w: DescribeWriter, o: StoredObject, creation = true): void {
  w.field(0, 'Name', o.metadata.name);
  if (o.metadata.namespace !== undefined) w.field(0, 'Namespace', o.metadata.namespace);
  if (creation) w.field(0, 'CreationTimestamp', describeTime(o.metadata.creationTimestamp));
  w.map(0, 'Labels', o.metadata.labels);
  w.map(0, 'Annotations', o.metadata.annotations, ': ');
}

function controlledBy(w: DescribeWriter, o: StoredObject): void {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller);
  if (ref) w.field(0, 'Controlled By', `${ref.kind}/${ref.name}`);
}

function podTemplate(w: DescribeWriter, template: Any | undefined): void {
  w.line(0, 'Pod Template:');
  w.map(1, 'Labels', template?.metadata?.labels);
  if (Object.keys(template?.metadata?.annotations ?? {}).length > 0)
    w.map(1, 'Annotations', template?.metadata?.annotations, ': ');
  const podSpec = (template?.spec ?? {}) as Any;
  if ((podSpec.initContainers ?? []).length > 0)
    describeContainers(w, 'Init Containers', podSpec.initContainers, { template: true });
  describeContainers(w, 'Containers', podSpec.containers ?? [], { template: true });
  describeVolumes(w, 1, podSpec.volumes ?? []);
}

function conditions(w: DescribeWriter, list: readonly Any[], withReason: boolean): void {
  if (list.length === 0) return;
  w.line(0, 'Conditions:');
  w.table(
    1,
    withReason ? ['Type', 'Status', 'Reason'] : ['Type', 'Status'],
    list.map((c) => (withReason ? [c.type, c.status, c.reason ?? ''] : [c.type, c.status])),
  );
}

async function deployment(w: DescribeWriter, { object: o, store }: DescribeInput): Promise<void> {
  const s = spec(o);
  const st = status(o);
  meta(w, o);
  w.field(0, 'Selector', formatSelector(s.selector));
  const desired = s.replicas ?? 1;
  const total = st.replicas ?? 0;
  const available = st.availableReplicas ?? 0;
  w.field(
    0,
    'Replicas',
    `${desired} desired | ${st.updatedReplicas ?? 0} updated | ${total} total | ${available} available | ${st.unavailableReplicas ?? Math.max(0, total - available)} unavailable`,
  );
  const strategy = s.strategy?.type ?? 'RollingUpdate';
  w.field(0, 'StrategyType', strategy);
  w.field(0, 'MinReadySeconds', s.minReadySeconds ?? 0);
  if (strategy === 'RollingUpdate') {
    const ru = s.strategy?.rollingUpdate ?? {};
    w.field(
      0,
      'RollingUpdateStrategy',
      `${ru.maxUnavailable ?? '25%'} max unavailable, ${ru.maxSurge ?? '25%'} max surge`,
    );
  }
  podTemplate(w, s.template);
  conditions(w, st.conditions ?? [], true);
  const sets = (await store.children(keyOf(o)))
    .filter((c) => c.kind === 'ReplicaSet')
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  const newest = sets.at(-1);
  const old = sets
    .slice(0, -1)
    .filter((rs) => (status(rs).replicas ?? 0) > 0 || (spec(rs).replicas ?? 0) > 0);
  const rsText = (rs: StoredObject) =>
    `${rs.metadata.name} (${status(rs).replicas ?? 0}/${spec(rs).replicas ?? 0} replicas created)`;
  w.field(0, 'OldReplicaSets', old.map(rsText).join(', '));
  w.field(0, 'NewReplicaSet', newest ? rsText(newest) : undefined);
}

function revisionOf(rs: StoredObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0);
}

async function replicaSet(w: DescribeWriter, { object: o, store }: DescribeInput): Promise<void> {
  const s = spec(o);
  meta(w, o, false);
  w.field(0, 'Selector', formatSelector(s.selector));
  controlledBy(w, o);
  w.field(0, 'Replicas', `${status(o).replicas ?? 0} current / ${s.replicas ?? 1} desired`);
  const pods = (await store.children(keyOf(o))).filter((c) => c.kind === 'Pod');
  const phase = (p: string) => pods.filter((pod) => (status(pod).phase ?? 'Pending') === p).length;
  w.field(
    0,
    'Pods Status',
    `${phase('Running')} Running / ${phase('Pending')} Waiting / ${phase('Succeeded')} Succeeded / ${phase('Failed')} Failed`,
  );
  podTemplate(w, s.template);
  conditions(w, status(o).conditions ?? [], true);
}

function pod(w: DescribeWriter, o: StoredObject, now: Date): void {
  const s = spec(o);
  const st = status(o);
  w.field(0, 'Name', o.metadata.name);
  w.field(0, 'Namespace', o.metadata.namespace);
  w.field(0, 'Priority', s.priority ?? 0);
  w.field(0, 'Service Account', s.serviceAccountName ?? 'default');
  w.field(0, 'Node', s.nodeName ? `${s.nodeName}${st.hostIP ? `/${st.hostIP}` : ''}` : st.hostIP);
  w.field(0, 'Start Time', describeTime(st.startTime));
  w.map(0, 'Labels', o.metadata.labels);
  w.map(0, 'Annotations', o.metadata.annotations, ': ');
  const { deletionTimestamp, deletionGracePeriodSeconds } = o.metadata;
  if (deletionTimestamp && st.phase !== 'Failed' && st.phase !== 'Succeeded') {
    // kubectl's wording: the time since the deadline (`<invalid>` while it is still ahead).
    w.field(0, 'Status', `Terminating (lasts ${ageOf(deletionTimestamp, now)})`);
    w.field(0, 'Termination Grace Period', `${deletionGracePeriodSeconds ?? 0}s`);
  } else w.field(0, 'Status', st.phase ?? 'Pending');
  if (st.reason) w.field(0, 'Reason', st.reason);
  if (st.message) w.field(0, 'Message', st.message);
  w.field(0, 'IP', st.podIP);
  const ips = (st.podIPs ?? []) as Any[];
  if (ips.length === 0) w.field(0, 'IPs', undefined);
  else {
    w.line(0, 'IPs:');
    for (const ip of ips) w.field(1, 'IP', ip.ip);
  }
  controlledBy(w, o);
  if ((s.initContainers ?? []).length > 0)
    describeContainers(w, 'Init Containers', s.initContainers, {
      template: false,
      statuses: st.initContainerStatuses ?? [],
    });
  describeContainers(w, 'Containers', s.containers ?? [], {
    template: false,
    statuses: st.containerStatuses ?? [],
  });
  conditions(w, st.conditions ?? [], false);
  describeVolumes(w, 0, s.volumes ?? []);
  w.field(0, 'QoS Class', qosClass(s.containers ?? []));
  w.map(0, 'Node-Selectors', s.nodeSelector);
  w.field(
    0,
    'Tolerations',
    (s.tolerations ?? []).length > 0 ? JSON.stringify(s.tolerations) : undefined,
  );
}

/** Kubernetes' QoS class: BestEffort (no requests or limits), Guaranteed (limits = requests), else Burstable. */
function qosClass(containers: readonly Any[]): string {
  const res = containers.map((c) => (c.resources ?? {}) as Any);
  if (
    res.every(
      (r) => Object.keys(r.requests ?? {}).length === 0 && Object.keys(r.limits ?? {}).length === 0,
    )
  )
    return 'BestEffort';
  const guaranteed = res.every((r) =>
    ['cpu', 'memory'].every((k) => {
      const limit = r.limits?.[k];
      const request = r.requests?.[k] ?? limit;
      return limit !== undefined && String(limit) === String(request);
    }),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

async function service(w: DescribeWriter, { object: o, store }: DescribeInput): Promise<void> {
  const s = spec(o);
  meta(w, o, false);
  w.map(0, 'Selector', s.selector);
  w.field(0, 'Type', s.type ?? 'ClusterIP');
  w.field(0, 'IP Family Policy', s.ipFamilyPolicy ?? 'SingleStack');
  w.field(0, 'IP Families', (s.ipFamilies ?? ['IPv4']).join(','));
  // The allocated ClusterIP and NodePorts are in status (see resource-columns.ts).
  const ip = status(o).clusterIP ?? s.clusterIP;
  w.field(0, 'IP', ip);
  w.field(0, 'IPs', (status(o).clusterIPs ?? (ip ? [ip] : [])).join(','));
  const allocated = (status(o).ports ?? []) as Any[];
  const endpoints = await store.get(keyOf({ ...o, kind: 'Endpoints' }));
  for (const p of (s.ports ?? []) as Any[]) {
    const protocol = p.protocol ?? 'TCP';
    w.line(0, `Port:\t${p.name ?? '<unset>'}\t${p.port}/${protocol}`);
    w.field(0, 'TargetPort', `${p.targetPort ?? p.port}/${protocol}`);
    const nodePort =
      allocated.find((a) => a.port === p.port && (a.protocol ?? 'TCP') === protocol)?.nodePort ??
      p.nodePort;
    if (nodePort) w.line(0, `NodePort:\t${p.name ?? '<unset>'}\t${nodePort}/${protocol}`);
    w.field(0, 'Endpoints', endpointsOf(endpoints, p.name));
  }
  w.field(0, 'Session Affinity', s.sessionAffinity ?? 'None');
}

function endpointsOf(endpoints: StoredObject | undefined, portName: string | undefined): string {
  const out: string[] = [];
  for (const subset of ((endpoints as Any | undefined)?.subsets ?? []) as Any[]) {
    const port = ((subset.ports ?? []) as Any[]).find((p) => (p.name ?? undefined) === portName);
    if (!port) continue;
    for (const a of (subset.addresses ?? []) as Any[]) out.push(`${a.ip}:${port.port}`);
  }
  return out.join(',');
}

function configMap(w: DescribeWriter, o: StoredObject): void {
  meta(w, o, false);
  const body = o as Any;
  w.line(0, '');
  w.line(0, 'Data');
  w.line(0, '====');
  for (const [k, v] of Object.entries((body.data ?? {}) as Record<string, string>)) {
    w.line(0, `${k}:`);
    w.line(0, '----');
    w.line(0, v);
    w.line(0, '');
  }
  w.line(0, '');
  w.line(0, 'BinaryData');
  w.line(0, '====');
  for (const [k, v] of Object.entries((body.binaryData ?? {}) as Record<string, string>))
    w.line(0, `${k}: ${Buffer.from(v, 'base64').length} bytes`);
  w.line(0, '');
}

function secret(w: DescribeWriter, o: StoredObject): void {
  meta(w, o, false);
  const body = o as Any;
  w.line(0, '');
  w.field(0, 'Type', body.type ?? 'Opaque');
  w.line(0, '');
  w.line(0, 'Data');
  w.line(0, '====');
  // Sizes only, as kubectl: data values are base64, stringData values plain text.
  const sizes = new Map<string, number>();
  for (const [k, v] of Object.entries((body.data ?? {}) as Record<string, string>))
    sizes.set(k, Buffer.from(v, 'base64').length);
  for (const [k, v] of Object.entries((body.stringData ?? {}) as Record<string, string>))
    sizes.set(k, Buffer.byteLength(v, 'utf8'));
  for (const [k, n] of [...sizes].sort(([a], [b]) => a.localeCompare(b)))
    w.line(0, `${k}:\t${n} bytes`);
  w.line(0, '');
}

function generic(w: DescribeWriter, o: StoredObject): void {
  meta(w, o);
  controlledBy(w, o);
  const s = spec(o);
  if (s.selector) w.field(0, 'Selector', formatSelector(s.selector));
  if (s.replicas !== undefined) w.field(0, 'Replicas', `${s.replicas} desired`);
  if (s.schedule) w.field(0, 'Schedule', s.schedule);
  const template = o.kind === 'Pod' ? undefined : podTemplateNode(o);
  if (template) podTemplate(w, template);
  const st = status(o);
  const scalars = Object.entries(st).filter(([, v]) => v === null || typeof v !== 'object');
  if (o.kind === 'Namespace') w.field(0, 'Status', st.phase ?? 'Active');
  else if (scalars.length > 0) {
    w.line(0, 'Status:');
    for (const [k, v] of scalars) w.field(1, k, String(v));
  }
  conditions(w, Array.isArray(st.conditions) ? st.conditions : [], true);
}

/** The store key of an object (the store's `storeKey`, without loading the store's Redis code). */
function keyOf(o: { kind: string; metadata: { namespace?: string; name: string } }): string {
  return objectKey(o.kind, o.metadata.namespace ?? '', o.metadata.name);
}
