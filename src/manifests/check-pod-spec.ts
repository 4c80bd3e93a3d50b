import path from 'node:path';
import { dns1123LabelError, portNameError } from './dns-names.js';
import type { Container, PodSpec, ResourceList } from './generated/k8s-objects.js';
import type { ManifestObject } from './manifest-object.js';
import type { PodTemplate } from './pod-template.js';
import { parseQuantity, QUANTITY_EXPECTED } from './quantity.js';
import type { Reporter } from './reporter.js';
import type { RevisionIndex } from './revision-index.js';

/** What the pod checks need besides the pod: the revision and the host-path policy. */
export interface PodCheckContext {
  report: Reporter;
  obj: ManifestObject;
  index: RevisionIndex;
  /** Host path prefixes hostPath volumes may use (policy.hostPathAllowed). */
  hostPathAllowed: readonly string[];
  /** Volume names provided by a StatefulSet's volumeClaimTemplates. */
  claimTemplates: readonly string[];
}

const SCHEDULING_ONLY = [
  'serviceAccountName',
  'automountServiceAccountToken',
  'nodeSelector',
  'affinity',
  'tolerations',
  'priorityClassName',
  'topologySpreadConstraints',
] as const;
const VOLUME_SOURCES = [
  'emptyDir',
  'configMap',
  'secret',
  'downwardAPI',
  'projected',
  'hostPath',
  'persistentVolumeClaim',
] as const;

/**
 * Checks one pod spec: restart policy for the kind, unique container and volume names, one
 * source per volume, mounts of declared volumes, named probe ports, quantities, references
 * to ConfigMaps/Secrets/PVCs of the revision, hostPath policy, and warns about fields that
 * only mean something to a scheduler.
 */
export function checkPodSpec(ctx: PodCheckContext, template: PodTemplate): void {
  const { report, obj } = ctx;
  const spec = template.spec;
  const at = template.specPointer;
  for (const field of SCHEDULING_ONLY) {
    if (spec[field] !== undefined)
      report.warning(
        obj,
        `${at}/${field}`,
        'no-effect',
        'has no effect on a single Docker host',
        true,
      );
  }
  checkRestartPolicy(ctx, spec, at);
  const volumes = new Set<string>(ctx.claimTemplates);
  (spec.volumes ?? []).forEach((v, i) => {
    const ptr = `${at}/volumes/${i}`;
    const err = dns1123LabelError(v.name);
    if (err) ctx.report.error(obj, `${ptr}/name`, 'name', `volume name "${v.name}" ${err}`);
    if (volumes.has(v.name))
      report.error(obj, `${ptr}/name`, 'volume', `volume name "${v.name}" is used twice`);
    volumes.add(v.name);
    const sources = VOLUME_SOURCES.filter((s) => v[s] !== undefined);
    if (sources.length !== 1)
      report.error(
        obj,
        ptr,
        'volume',
        sources.length === 0
          ? `volume "${v.name}" needs one source: ${VOLUME_SOURCES.join(', ')}`
          : `volume "${v.name}" has ${sources.length} sources (${sources.join(', ')}): give exactly one`,
      );
    if (v.emptyDir?.sizeLimit !== undefined)
      checkQuantity(ctx, `${ptr}/emptyDir/sizeLimit`, v.emptyDir.sizeLimit);
    if (v.hostPath) checkHostPath(ctx, `${ptr}/hostPath/path`, v.hostPath.path);
    if (v.configMap)
      checkRef(
        ctx,
        `${ptr}/configMap/name`,
        'ConfigMap',
        v.configMap.name,
        v.configMap.optional,
        (v.configMap.items ?? []).map((it) => it.key),
        `${ptr}/configMap/items`,
      );
    if (v.secret)
      checkRef(
        ctx,
        `${ptr}/secret/secretName`,
        'Secret',
        v.secret.secretName,
        v.secret.optional,
        (v.secret.items ?? []).map((it) => it.key),
        `${ptr}/secret/items`,
      );
    if (v.persistentVolumeClaim)
      checkRef(
        ctx,
        `${ptr}/persistentVolumeClaim/claimName`,
        'PersistentVolumeClaim',
        v.persistentVolumeClaim.claimName,
        false,
      );
    (v.projected?.sources ?? []).forEach((s, j) => {
      const sp = `${ptr}/projected/sources/${j}`;
      if (s.configMap)
        checkRef(
          ctx,
          `${sp}/configMap/name`,
          'ConfigMap',
          s.configMap.name,
          s.configMap.optional,
          (s.configMap.items ?? []).map((it) => it.key),
          `${sp}/configMap/items`,
        );
      if (s.secret)
        checkRef(
          ctx,
          `${sp}/secret/name`,
          'Secret',
          s.secret.name,
          s.secret.optional,
          (s.secret.items ?? []).map((it) => it.key),
          `${sp}/secret/items`,
        );
    });
  });
  const names = new Map<string, string>();
  const portNames = new Set<string>();
  const containers: Array<[Container, string]> = [
    ...(spec.initContainers ?? []).map((c, i): [Container, string] => [
      c,
      `${at}/initContainers/${i}`,
    ]),
    ...spec.containers.map((c, i): [Container, string] => [c, `${at}/containers/${i}`]),
  ];
  for (const [c, ptr] of containers) {
    const err = dns1123LabelError(c.name);
    if (err) report.error(obj, `${ptr}/name`, 'name', `container name "${c.name}" ${err}`);
    if (names.has(c.name))
      report.error(
        obj,
        `${ptr}/name`,
        'container',
        `container name "${c.name}" is used twice (also at ${names.get(c.name)})`,
      );
    else names.set(c.name, ptr.slice(at.length + 1).replace(/\/(\d+)/, '[$1]'));
    checkContainer(ctx, c, ptr, volumes, portNames);
  }
}

function checkRestartPolicy(ctx: PodCheckContext, spec: PodSpec, at: string): void {
  const { kind } = ctx.obj;
  if (kind === 'Job' || kind === 'CronJob') {
    if (spec.restartPolicy !== 'Never' && spec.restartPolicy !== 'OnFailure')
      ctx.report.error(
        ctx.obj,
        spec.restartPolicy ? `${at}/restartPolicy` : at,
        'restart-policy',
        `restartPolicy must be Never or OnFailure for a ${kind}, found ${spec.restartPolicy ?? 'none (default Always)'}`,
      );
  } else if (
    kind !== 'Pod' &&
    spec.restartPolicy !== undefined &&
    spec.restartPolicy !== 'Always'
  ) {
    ctx.report.error(
      ctx.obj,
      `${at}/restartPolicy`,
      'restart-policy',
      `restartPolicy must be Always for a ${kind}, found ${spec.restartPolicy}`,
    );
  }
}

function checkContainer(
  ctx: PodCheckContext,
  c: Container,
  ptr: string,
  volumes: Set<string>,
  portNames: Set<string>,
): void {
  const { report, obj } = ctx;
  if (!c.image)
    report.error(
      obj,
      `${ptr}/image`,
      'container',
      'required field is missing: Berth needs an image to run',
    );
  const own = new Set<string>();
  (c.ports ?? []).forEach((p, i) => {
    if (p.name === undefined) return;
    const err = portNameError(p.name);
    if (err) report.error(obj, `${ptr}/ports/${i}/name`, 'port', `port name "${p.name}" ${err}`);
    if (portNames.has(p.name))
      report.error(
        obj,
        `${ptr}/ports/${i}/name`,
        'port',
        `port name "${p.name}" is used twice in the pod`,
      );
    portNames.add(p.name);
    own.add(p.name);
  });
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const pr = c[probe];
    if (pr) exactlyOne(ctx, `${ptr}/${probe}`, pr, ['exec', 'httpGet', 'tcpSocket'], 'a probe');
    for (const handler of ['httpGet', 'tcpSocket'] as const) {
      const port = pr?.[handler]?.port;
      if (typeof port === 'string' && !/^\d+$/.test(port) && !own.has(port))
        report.error(
          obj,
          `${ptr}/${probe}/${handler}/port`,
          'port',
          `port "${port}" is not the name of a port of container "${c.name}"`,
        );
    }
  }
  for (const which of ['requests', 'limits'] as const) {
    const list: ResourceList | undefined = c.resources?.[which];
    for (const r of ['cpu', 'memory'] as const)
      if (list?.[r] !== undefined) checkQuantity(ctx, `${ptr}/resources/${which}/${r}`, list[r]);
  }
  for (const r of ['cpu', 'memory'] as const) {
    const req = parseQuantity(c.resources?.requests?.[r]);
    const lim = parseQuantity(c.resources?.limits?.[r]);
    if (req !== null && lim !== null && req > lim)
      report.error(
        obj,
        `${ptr}/resources/requests/${r}`,
        'quantity',
        `request ${c.resources?.requests?.[r]} is more than the limit ${c.resources?.limits?.[r]}`,
      );
  }
  (c.volumeMounts ?? []).forEach((m, i) => {
    if (!volumes.has(m.name))
      report.error(
        obj,
        `${ptr}/volumeMounts/${i}/name`,
        'volume',
        `volume "${m.name}" is not declared in the pod's volumes`,
      );
  });
  for (const hook of ['postStart', 'preStop'] as const) {
    const h = c.lifecycle?.[hook];
    if (h)
      exactlyOne(
        ctx,
        `${ptr}/lifecycle/${hook}`,
        h,
        ['exec', 'httpGet', 'sleep'],
        'a lifecycle hook',
      );
  }
  (c.envFrom ?? []).forEach((e, i) => {
    exactlyOne(ctx, `${ptr}/envFrom/${i}`, e, ['configMapRef', 'secretRef'], 'envFrom');
  });
  (c.env ?? []).forEach((e, i) => {
    const from = e.valueFrom;
    const ep = `${ptr}/env/${i}/valueFrom`;
    if (from) {
      if (e.value !== undefined)
        report.error(
          obj,
          `${ptr}/env/${i}/value`,
          'container',
          `env "${e.name}": give value or valueFrom, not both`,
        );
      exactlyOne(
        ctx,
        ep,
        from,
        ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'],
        'valueFrom',
      );
    }
    if (from?.configMapKeyRef)
      checkRef(
        ctx,
        `${ep}/configMapKeyRef/name`,
        'ConfigMap',
        from.configMapKeyRef.name,
        from.configMapKeyRef.optional,
        [from.configMapKeyRef.key],
        `${ep}/configMapKeyRef`,
      );
    if (from?.secretKeyRef)
      checkRef(
        ctx,
        `${ep}/secretKeyRef/name`,
        'Secret',
        from.secretKeyRef.name,
        from.secretKeyRef.optional,
        [from.secretKeyRef.key],
        `${ep}/secretKeyRef`,
      );
    if (from?.resourceFieldRef?.divisor !== undefined)
      checkQuantity(ctx, `${ep}/resourceFieldRef/divisor`, from.resourceFieldRef.divisor);
  });
  (c.envFrom ?? []).forEach((e, i) => {
    if (e.configMapRef)
      checkRef(
        ctx,
        `${ptr}/envFrom/${i}/configMapRef/name`,
        'ConfigMap',
        e.configMapRef.name,
        e.configMapRef.optional,
      );
    if (e.secretRef)
      checkRef(
        ctx,
        `${ptr}/envFrom/${i}/secretRef/name`,
        'Secret',
        e.secretRef.name,
        e.secretRef.optional,
      );
  });
}

/** Reports an object that sets none, or more than one, of the alternatives `fields`. */
function exactlyOne(
  ctx: PodCheckContext,
  ptr: string,
  value: object,
  fields: readonly string[],
  what: string,
): void {
  const set = fields.filter((f) => (value as Record<string, unknown>)[f] !== undefined);
  if (set.length === 1) return;
  ctx.report.error(
    ctx.obj,
    ptr,
    'container',
    set.length === 0
      ? `${what} needs one of ${fields.join(', ')}`
      : `${what} sets ${set.join(' and ')}: give exactly one of ${fields.join(', ')}`,
  );
}

/** Reports a quantity that does not parse. */
export function checkQuantity(
  ctx: Pick<PodCheckContext, 'report' | 'obj'>,
  ptr: string,
  value: unknown,
): void {
  if (
    parseQuantity(value) === null ||
    (typeof value === 'number' && value < 0) ||
    (typeof value === 'string' && value.startsWith('-'))
  )
    ctx.report.error(
      ctx.obj,
      ptr,
      'quantity',
      `${QUANTITY_EXPECTED}; found ${JSON.stringify(value)}`,
    );
}

function checkHostPath(ctx: PodCheckContext, ptr: string, hostPath: string): void {
  const normalized = path.posix.normalize(hostPath);
  const allowed = ctx.hostPathAllowed.some((prefix) => {
    const p = path.posix.normalize(prefix).replace(/\/$/, '');
    return normalized === p || normalized.startsWith(`${p}/`);
  });
  if (!path.posix.isAbsolute(hostPath) || !allowed)
    ctx.report.error(
      ctx.obj,
      ptr,
      'host-path',
      ctx.hostPathAllowed.length === 0
        ? `hostPath "${hostPath}" is refused: policy.hostPathAllowed lists no prefix`
        : `hostPath "${hostPath}" is not under an allowed prefix (policy.hostPathAllowed: ${ctx.hostPathAllowed.join(', ')})`,
    );
}

/**
 * Reports a reference to a ConfigMap, Secret or PVC that the revision does not hold in the
 * object's namespace (unless optional), and keys (`keys`, at `keysAt`) the object lacks.
 */
function checkRef(
  ctx: PodCheckContext,
  ptr: string,
  kind: string,
  name: string | undefined,
  optional: boolean | undefined,
  keys: string[] = [],
  keysAt = '',
): void {
  if (optional === true || !name) return;
  const target = ctx.index.get(kind, ctx.obj.namespace, name);
  if (!target && ctx.index.exists(kind, ctx.obj.namespace, name)) return; // has its own errors
  if (!target) {
    ctx.report.error(
      ctx.obj,
      ptr,
      'reference',
      `${kind} "${name}" does not exist in namespace "${ctx.obj.namespace}" of this revision (mark it optional if that is intended)`,
    );
    return;
  }
  if (kind === 'PersistentVolumeClaim') return;
  const present = new Set([
    ...Object.keys((target.value.data ?? {}) as object),
    ...Object.keys((target.value.binaryData ?? {}) as object),
    ...Object.keys((target.value.stringData ?? {}) as object),
  ]);
  for (const key of keys)
    if (!present.has(key))
      ctx.report.error(ctx.obj, keysAt, 'reference', `${kind} "${name}" has no key "${key}"`);
}
