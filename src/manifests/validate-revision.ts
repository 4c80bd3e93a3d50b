import type { SourceFile } from '../source/index.js';
import { checkLabels, checkMetadata } from './check-metadata.js';
import { checkPodSpec } from './check-pod-spec.js';
import { checkPullSecret } from './check-pull-secrets.js';
import { checkQuantity } from './check-quantity.js';
import {
  checkIngress,
  checkService,
  checkServicePorts,
  checkWorkloadSelector,
} from './check-relations.js';
import { checkSyncAnnotations } from './check-sync-annotations.js';
import { checkDataKeys, checkVolumePaths } from './check-volume-paths.js';
import type { DesiredObject, ValidationResult } from './desired-state.js';
import { objectKey } from './desired-state.js';
import type { BerthObject, PersistentVolumeClaim, StatefulSet } from './generated/k8s-objects.js';
import { classifyKind } from './kinds.js';
import { isPlainObject, loadManifests } from './load-manifests.js';
import type { ManifestObject } from './manifest-object.js';
import { checkPodSecurity, ENFORCE_LABEL, type PodSecurityLevel } from './pod-security.js';
import { podTemplateOf } from './pod-template.js';
import { compareProblems } from './problem.js';
import { Reporter } from './reporter.js';
import { type CheckedObject, RevisionIndex } from './revision-index.js';
import { compileValidateOptions, type ValidateOptions } from './validate-options.js';
import { stripNulls, validateSchema } from './validate-schema.js';

const LEVELS = ['privileged', 'baseline', 'restricted'];

/**
 * Loads and validates a revision: every file, every object, every check, all problems in
 * one run. The revision is valid only if no problem is an error; then `state` holds every
 * object Berth acts on (ignored kinds are not in it).
 */
export function validateRevision(
  files: readonly SourceFile[],
  options: ValidateOptions = {},
): ValidationResult {
  const opts = compileValidateOptions(options);
  const loaded = loadManifests(files, opts, options.repository);
  const report = new Reporter();
  const checked: CheckedObject[] = [];
  const ignored: ManifestObject[] = [];
  const schemaInvalid: ManifestObject[] = [];

  // 1. Kind and schema of each object.
  for (const obj of loaded.objects) {
    const verdict = classifyKind(obj.apiVersion, obj.kind, opts.ignoredKinds);
    const id = `${obj.apiVersion} ${obj.kind}`;
    switch (verdict.type) {
      case 'removed':
        report.error(
          obj,
          '/apiVersion',
          'removed-api',
          `${id} was removed from Kubernetes: use ${verdict.replacement}`,
        );
        continue;
      case 'unsupported':
        report.error(obj, '/kind', 'unsupported-kind', `${id} is not supported by Berth`);
        continue;
      case 'unknown':
        report.error(
          obj,
          '/kind',
          'unknown-kind',
          `unknown kind ${id} (a custom resource?): Berth cannot run it; list "${id}" in policy.ignoredKinds to skip it`,
        );
        continue;
      case 'ignored':
        continue;
      case 'no-effect':
        if (opts.strict)
          report.error(
            obj,
            '/kind',
            'ignored-kind',
            `${obj.kind} has no effect on a container host (rejected by --strict)`,
          );
        else ignored.push(obj);
        continue;
      case 'supported': {
        const value = stripNulls(obj.value) as Record<string, unknown>;
        if (value.status !== undefined) {
          report.warning(
            obj,
            '/status',
            'no-effect',
            'status is written by the system: Berth ignores it',
            true,
          );
          delete value.status;
        }
        const problems = validateSchema(obj, verdict.kind, value);
        report.problems.push(...problems);
        if (problems.length === 0) checked.push({ obj, value });
        else schemaInvalid.push(obj);
      }
    }
  }
  if (ignored.length > 0) {
    const first = ignored[0] as ManifestObject;
    const list = ignored
      .map((o) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`)
      .join(', ');
    report.warning(
      first,
      '',
      'ignored-kind',
      `ignored ${ignored.length} object(s) of kinds with no effect on a container host: ${list}`,
    );
  }

  // 2. Object checks, then checks across the revision.
  const index = new RevisionIndex(checked, schemaInvalid);
  const seen = new Map<string, CheckedObject>();
  for (const o of checked) {
    const { obj, value } = o;
    checkMetadata(report, obj, (value.metadata ?? {}) as Record<string, unknown>);
    checkSyncAnnotations(report, obj, (value.metadata ?? {}) as Record<string, unknown>);
    const key = `${obj.apiVersion.split('/').slice(0, -1).join('/')} ${obj.kind} ${obj.namespace}/${obj.name}`;
    const first = seen.get(key);
    if (first && obj.name) {
      const where = (x: ManifestObject) => `${x.file}:${x.position.line}:${x.position.column}`;
      report.error(
        obj,
        '/metadata/name',
        'duplicate',
        `duplicate object: also defined at ${where(first.obj)}`,
      );
      report.error(
        first.obj,
        '/metadata/name',
        'duplicate',
        `duplicate object: also defined at ${where(obj)}`,
      );
    } else seen.set(key, o);
    if (
      obj.namespace &&
      obj.namespace !== 'default' &&
      !index.exists('Namespace', '', obj.namespace)
    )
      report.error(
        obj,
        '/metadata/namespace',
        'namespace',
        `namespace "${obj.namespace}" is not defined in this revision (only "default" exists without a Namespace object)`,
      );
    if (obj.kind === 'Namespace') {
      const level = (value.metadata as { labels?: Record<string, string> }).labels?.[ENFORCE_LABEL];
      if (level !== undefined && !LEVELS.includes(level))
        report.error(
          obj,
          `/metadata/labels/${ENFORCE_LABEL.replace('/', '~1')}`,
          'pod-security',
          `expected one of privileged, baseline, restricted; found "${level}"`,
        );
      else if (
        level !== undefined &&
        !opts.allowNamespaceOverride &&
        LEVELS.indexOf(level) < LEVELS.indexOf(opts.podSecurity)
      )
        report.warning(
          obj,
          `/metadata/labels/${ENFORCE_LABEL.replace('/', '~1')}`,
          'pod-security',
          `"${level}" is looser than policy.podSecurity "${opts.podSecurity}" of this host, which applies (policy.allowNamespaceOverride: true in berth.yaml lets a namespace loosen it)`,
        );
    }
    if (obj.kind === 'PersistentVolumeClaim') {
      // Schema-valid: typed by its kind.
      const requests = (value as unknown as PersistentVolumeClaim).spec?.resources?.requests ?? {};
      for (const [r, q] of Object.entries(requests))
        checkQuantity({ report, obj }, `/spec/resources/requests/${r}`, q);
    }
    if (obj.kind === 'ConfigMap' || obj.kind === 'Secret') checkDataKeys(report, obj, value);
    if (obj.kind === 'Service') {
      checkServicePorts(report, o);
      checkService(report, o, index);
    }
    if (obj.kind === 'Ingress') checkIngress(report, o, index);
    if (obj.kind === 'Secret') checkPullSecret(report, obj, value);
    const template = podTemplateOf(obj, value);
    if (!template) continue;
    if ('missing' in template) {
      report.error(obj, template.missing, 'schema', 'required field is missing');
      continue;
    }
    if (obj.kind !== 'Pod')
      checkLabels(
        report,
        obj,
        template.metadataPointer,
        (getAt(value, template.metadataPointer) ?? {}) as Record<string, unknown>,
      );
    checkWorkloadSelector(report, o, template);
    const claimTemplates =
      obj.kind === 'StatefulSet'
        ? ((value as unknown as StatefulSet).spec?.volumeClaimTemplates ?? []).map(
            (t) => t.metadata?.name ?? '',
          )
        : [];
    checkPodSpec(
      { report, obj, index, hostPathAllowed: opts.hostPathAllowed, claimTemplates },
      template,
    );
    checkVolumePaths(report, obj, template.spec, template.specPointer);
    const level = podSecurityLevel(index, obj.namespace, opts);
    for (const v of checkPodSecurity(template.spec, level))
      report.error(
        obj,
        template.specPointer + v.pointer,
        'pod-security',
        `violates PodSecurity "${level}" (${v.rule}): ${v.message}`,
      );
  }

  const problems = [...loaded.problems, ...report.problems].sort(compareProblems);
  const valid = !problems.some((p) => p.severity === 'error');
  const objects = new Map<string, DesiredObject>();
  if (valid) {
    for (const { obj, value } of checked) {
      const key = objectKey(obj);
      objects.set(key, {
        key,
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        namespace: obj.namespace,
        name: obj.name,
        object: value as unknown as BerthObject,
        source: { file: obj.file, line: obj.position.line, column: obj.position.column },
      });
    }
  }
  return {
    valid,
    objects: loaded.objects.length,
    files: loaded.files,
    problems,
    state: { objects },
  };
}

/**
 * The level a namespace enforces: `policy.podSecurity` is a ceiling, and the namespace's enforce
 * label may only make it stricter, unless the host allows namespaces to override it.
 */
function podSecurityLevel(
  index: RevisionIndex,
  namespace: string,
  opts: { podSecurity: PodSecurityLevel; allowNamespaceOverride: boolean },
): PodSecurityLevel {
  const ns = index.get('Namespace', '', namespace);
  const label = (ns?.value.metadata as { labels?: Record<string, string> } | undefined)?.labels?.[
    ENFORCE_LABEL
  ];
  if (label === undefined || !LEVELS.includes(label)) return opts.podSecurity;
  if (opts.allowNamespaceOverride) return label as PodSecurityLevel;
  return LEVELS.indexOf(label) > LEVELS.indexOf(opts.podSecurity)
    ? (label as PodSecurityLevel)
    : opts.podSecurity;
}

function getAt(value: unknown, ptr: string): unknown {
  let node = value;
  for (const s of ptr.split('/').slice(1)) node = isPlainObject(node) ? node[s] : undefined;
  return node;
}
