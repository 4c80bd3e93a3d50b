import path from 'node:path';
import { checkContainer } from './check-container.js';
import { checkImagePullSecrets } from './check-pull-secrets.js';
import { checkQuantity } from './check-quantity.js';
import { checkRef } from './check-references.js';
import { dns1123LabelError } from './dns-names.js';
import type { Container, PodSpec } from './generated/k8s-objects.js';
import type { PodCheckContext } from './pod-check-context.js';
import type { PodTemplate } from './pod-template.js';

export type { PodCheckContext } from './pod-check-context.js';

/** PodSpec fields that only mean something to a multi-node scheduler: accepted with a warning. */
export const SCHEDULING_ONLY_FIELDS = [
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
  for (const field of SCHEDULING_ONLY_FIELDS) {
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
  checkImagePullSecrets(ctx, at, spec.imagePullSecrets);
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
