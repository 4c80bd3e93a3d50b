import {
  dns1123LabelError,
  dns1123SubdomainError,
  labelValueError,
  qualifiedNameError,
} from './dns-names.js';
import { pointer } from './field-path.js';
import type { ManifestObject } from './manifest-object.js';
import type { Reporter } from './reporter.js';

/** Kinds whose names become DNS labels (a Service's name is a host name; a Namespace's too). */
const LABEL_NAMED = new Set(['Namespace', 'Service']);
/** Kinds whose generated children need room in the name (Kubernetes' own limits). */
const MAX_NAME: Record<string, number> = { CronJob: 52 };

/** Checks the name, namespace, labels and annotations of an object's own metadata. */
export function checkMetadata(
  report: Reporter,
  obj: ManifestObject,
  metadata: Record<string, unknown>,
): void {
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    report.error(
      obj,
      '/metadata',
      'name',
      'metadata.name is required (Berth does not support generateName)',
    );
  } else {
    const err = LABEL_NAMED.has(obj.kind) ? dns1123LabelError(name) : dns1123SubdomainError(name);
    if (err) report.error(obj, '/metadata/name', 'name', `name "${name}" ${err}`);
    const max = MAX_NAME[obj.kind];
    if (max && name.length > max)
      report.error(
        obj,
        '/metadata/name',
        'name',
        `a ${obj.kind} name must be no more than ${max} characters`,
      );
  }
  if (typeof metadata.namespace === 'string') {
    const err = dns1123LabelError(metadata.namespace);
    if (err)
      report.error(obj, '/metadata/namespace', 'name', `namespace "${metadata.namespace}" ${err}`);
  }
  checkLabels(report, obj, '/metadata', metadata);
}

/** Checks `labels` and `annotations` of the metadata at `ptr`. */
export function checkLabels(
  report: Reporter,
  obj: ManifestObject,
  ptr: string,
  metadata: Record<string, unknown>,
): void {
  const labels = (metadata.labels ?? {}) as Record<string, string>;
  for (const [k, v] of Object.entries(labels)) {
    const keyErr = qualifiedNameError(k);
    if (keyErr)
      report.error(obj, `${ptr}/labels${pointer(k)}`, 'label', `label key "${k}": ${keyErr}`, true);
    const valueErr = labelValueError(v);
    if (valueErr)
      report.error(obj, `${ptr}/labels${pointer(k)}`, 'label', `label value "${v}": ${valueErr}`);
  }
  const annotations = (metadata.annotations ?? {}) as Record<string, string>;
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) {
    size += k.length + v.length;
    const keyErr = qualifiedNameError(k);
    if (keyErr)
      report.error(
        obj,
        `${ptr}/annotations${pointer(k)}`,
        'label',
        `annotation key "${k}": ${keyErr}`,
        true,
      );
  }
  if (size > 256 * 1024)
    report.error(
      obj,
      `${ptr}/annotations`,
      'label',
      `annotations total ${size} bytes, more than the limit of 262144`,
    );
}
