import { dns1123LabelError } from './dns-names.js';
import type {
  DaemonSet,
  Deployment,
  Ingress,
  ReplicaSet,
  Service,
  StatefulSet,
} from './generated/k8s-objects.js';
import { selectorIsEmpty, selectorMatches } from './label-selector.js';
import { type PodTemplate, podTemplateOf } from './pod-template.js';
import type { Reporter } from './reporter.js';
import type { CheckedObject, RevisionIndex } from './revision-index.js';

/** A workload's own selector must be non-empty and select its template's labels. */
export function checkWorkloadSelector(
  report: Reporter,
  o: CheckedObject,
  template: PodTemplate,
): void {
  if (!['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].includes(o.obj.kind)) return;
  // A schema-valid workload: typed by its kind.
  const workload = o.value as unknown as Deployment | ReplicaSet | StatefulSet | DaemonSet;
  const selector = workload.spec?.selector;
  if (!selector) return; // the schema already requires it
  if (selectorIsEmpty(selector)) {
    report.error(
      o.obj,
      '/spec/selector',
      'selector',
      'selector is empty: it must select the template labels',
    );
  } else if (!selectorMatches(selector, template.labels)) {
    report.error(
      o.obj,
      '/spec/selector',
      'selector',
      `selector does not match the template labels (${formatLabels(template.labels)})`,
    );
  }
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/**
 * A Service should select some workload of its namespace (warning if not) and each named
 * `targetPort` must be a container port name of the pods it selects (error if none has it).
 */
export function checkService(report: Reporter, o: CheckedObject, index: RevisionIndex): void {
  const spec = (o.value as unknown as Service).spec;
  const selector = spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return;
  const pods: PodTemplate[] = [];
  for (const w of index.all) {
    if (w.obj.namespace !== o.obj.namespace) continue;
    const t = podTemplateOf(w.obj, w.value);
    if (
      t &&
      'spec' in t &&
      w.obj.kind !== 'CronJob' &&
      w.obj.kind !== 'Job' &&
      selectorMatches({ matchLabels: selector }, t.labels)
    )
      pods.push(t);
  }
  if (pods.length === 0) {
    report.warning(
      o.obj,
      '/spec/selector',
      'selector',
      'selector matches no workload in this revision: the Service will have no endpoints',
    );
    return;
  }
  (spec?.ports ?? []).forEach((p, i) => {
    const target = p.targetPort;
    if (typeof target !== 'string' || /^\d+$/.test(target)) return;
    const found = pods.some((t) =>
      [...t.spec.containers, ...(t.spec.initContainers ?? [])].some((c) =>
        (c.ports ?? []).some((cp) => cp.name === target),
      ),
    );
    if (!found)
      report.error(
        o.obj,
        `/spec/ports/${i}/targetPort`,
        'port',
        `targetPort "${target}" is not the name of a container port of the pods this Service selects`,
      );
  });
}

/** An Ingress backend must name a Service of the revision and one of its ports. */
export function checkIngress(report: Reporter, o: CheckedObject, index: RevisionIndex): void {
  const spec = (o.value as unknown as Ingress).spec;
  const backends: Array<[string, NonNullable<NonNullable<Ingress['spec']>['defaultBackend']>]> = [];
  if (spec?.defaultBackend) backends.push(['/spec/defaultBackend', spec.defaultBackend]);
  (spec?.rules ?? []).forEach((r, i) => {
    (r.http?.paths ?? []).forEach((p, j) => {
      backends.push([`/spec/rules/${i}/http/paths/${j}/backend`, p.backend]);
    });
  });
  for (const [ptr, b] of backends) {
    if (!b.service) continue;
    const svc = index.get('Service', o.obj.namespace, b.service.name);
    if (!svc && index.exists('Service', o.obj.namespace, b.service.name)) continue;
    if (!svc) {
      report.error(
        o.obj,
        `${ptr}/service/name`,
        'reference',
        `Service "${b.service.name}" does not exist in namespace "${o.obj.namespace}" of this revision`,
      );
      continue;
    }
    const ports = (svc.value as unknown as Service).spec?.ports ?? [];
    const want = b.service.port;
    if (want?.name !== undefined && !ports.some((p) => p.name === want.name))
      report.error(
        o.obj,
        `${ptr}/service/port/name`,
        'port',
        `Service "${b.service.name}" has no port named "${want.name}"`,
      );
    if (want?.number !== undefined && !ports.some((p) => p.port === want.number))
      report.error(
        o.obj,
        `${ptr}/service/port/number`,
        'port',
        `Service "${b.service.name}" has no port ${want.number}`,
      );
  }
}

/** Service ports: names required when there are several, unique, and port/protocol pairs unique. */
export function checkServicePorts(report: Reporter, o: CheckedObject): void {
  const ports = (o.value as unknown as Service).spec?.ports ?? [];
  const names = new Set<string>();
  const pairs = new Set<string>();
  ports.forEach((p, i) => {
    if (ports.length > 1 && !p.name)
      report.error(
        o.obj,
        `/spec/ports/${i}`,
        'port',
        'a Service with several ports must name each of them',
      );
    if (p.name !== undefined) {
      const err = dns1123LabelError(p.name);
      if (err) report.error(o.obj, `/spec/ports/${i}/name`, 'port', `port name "${p.name}" ${err}`);
      if (names.has(p.name))
        report.error(o.obj, `/spec/ports/${i}/name`, 'port', `port name "${p.name}" is used twice`);
      names.add(p.name);
    }
    const pair = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (pairs.has(pair))
      report.error(o.obj, `/spec/ports/${i}/port`, 'port', `port ${pair} is used twice`);
    pairs.add(pair);
  });
}
